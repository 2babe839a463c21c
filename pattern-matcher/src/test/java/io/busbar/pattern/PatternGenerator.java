package io.busbar.pattern;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Test-scope generator of EventBridge event patterns and events, shared by {@link DifferentialTest} and
 * {@link FuzzTest}.
 *
 * <p>Everything is built as a small JSON tree ({@link J}) that keeps number lexemes verbatim (so {@code 1e2} stays
 * {@code 1e2}) and keeps member order, and that can be shrunk one step at a time for minimisation. Vocabularies are
 * small so that generated events often match generated patterns.
 *
 * <p>Patterns only ever use valid syntax; the {@code knownDifference_*} filters keep the generator away from the
 * deliberate differences between Busbar and event-ruler listed in the spec (EVENTBRIDGE.md sections 3 and 11).
 */
final class PatternGenerator {

    // ------------------------------------------------------------------------------------------------------------
    // A tiny JSON model: exact lexemes, ordered members, cheap structural shrinking.
    // ------------------------------------------------------------------------------------------------------------

    /** A JSON value. */
    sealed interface J permits JObj, JArr, JStr, JLit {
    }

    /** An object; members in order (keys are never duplicated by this generator). */
    record JObj(List<Member> members) implements J {
        JObj {
            members = List.copyOf(members);
        }
    }

    /** One object member. */
    record Member(String key, J value) {
    }

    /** An array. */
    record JArr(List<J> items) implements J {
        JArr {
            items = List.copyOf(items);
        }
    }

    /** A string; {@code escapeNonAscii} writes every non-ASCII UTF-16 unit as a {@code \\uXXXX} escape. */
    record JStr(String value, boolean escapeNonAscii) implements J {
    }

    /** A number, {@code true}, {@code false} or {@code null}, written verbatim. */
    record JLit(String text) implements J {
    }

    static JStr str(String s) {
        return new JStr(s, false);
    }

    static JObj obj(Object... keyValues) {
        List<Member> ms = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            ms.add(new Member((String) keyValues[i], (J) keyValues[i + 1]));
        }
        return new JObj(ms);
    }

    static JArr arr(J... items) {
        return new JArr(Arrays.asList(items));
    }

    static String write(J j) {
        StringBuilder sb = new StringBuilder();
        write(j, sb);
        return sb.toString();
    }

    static void write(J j, StringBuilder sb) {
        if (j instanceof JObj o) {
            sb.append('{');
            for (int i = 0; i < o.members().size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                writeString(o.members().get(i).key(), false, sb);
                sb.append(':');
                write(o.members().get(i).value(), sb);
            }
            sb.append('}');
        } else if (j instanceof JArr a) {
            sb.append('[');
            for (int i = 0; i < a.items().size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(a.items().get(i), sb);
            }
            sb.append(']');
        } else if (j instanceof JStr s) {
            writeString(s.value(), s.escapeNonAscii(), sb);
        } else {
            sb.append(((JLit) j).text());
        }
    }

    static void writeString(String s, boolean escapeNonAscii, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || (escapeNonAscii && c > 0x7e)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /**
     * All trees one step smaller than {@code j}: a member or element removed, an element or member value replaced by
     * one of its own shrinks, a string shortened by a code point at either end, an array holding one element
     * replaced by that element.
     */
    static List<J> shrinks(J j) {
        List<J> out = new ArrayList<>();
        if (j instanceof JObj o) {
            List<Member> ms = o.members();
            for (int i = 0; i < ms.size(); i++) {
                List<Member> copy = new ArrayList<>(ms);
                copy.remove(i);
                out.add(new JObj(copy));
            }
            // replace a "$or" by the members of one of its branches
            for (int i = 0; i < ms.size(); i++) {
                if (ms.get(i).key().equals("$or") && ms.get(i).value() instanceof JArr branches) {
                    for (J b : branches.items()) {
                        if (b instanceof JObj bo) {
                            List<Member> copy = new ArrayList<>(ms);
                            copy.remove(i);
                            Set<String> keys = new HashSet<>();
                            copy.forEach(m -> keys.add(m.key()));
                            boolean clash = false;
                            for (Member m : bo.members()) {
                                clash |= !keys.add(m.key());
                            }
                            if (!clash) {
                                copy.addAll(i, bo.members());
                                out.add(new JObj(copy));
                            }
                        }
                    }
                }
            }
            for (int i = 0; i < ms.size(); i++) {
                for (J s : shrinks(ms.get(i).value())) {
                    List<Member> copy = new ArrayList<>(ms);
                    copy.set(i, new Member(ms.get(i).key(), s));
                    out.add(new JObj(copy));
                }
            }
        } else if (j instanceof JArr a) {
            List<J> items = a.items();
            for (int i = 0; i < items.size(); i++) {
                List<J> copy = new ArrayList<>(items);
                copy.remove(i);
                out.add(new JArr(copy));
            }
            if (items.size() == 1 && !(items.get(0) instanceof JObj)) {
                out.add(items.get(0));
            }
            for (int i = 0; i < items.size(); i++) {
                for (J s : shrinks(items.get(i))) {
                    List<J> copy = new ArrayList<>(items);
                    copy.set(i, s);
                    out.add(new JArr(copy));
                }
            }
        } else if (j instanceof JStr s) {
            String v = s.value();
            if (!v.isEmpty()) {
                int first = Character.charCount(v.codePointAt(0));
                int last = Character.charCount(v.codePointBefore(v.length()));
                out.add(new JStr(v.substring(first), s.escapeNonAscii()));
                if (v.length() > 1) {
                    out.add(new JStr(v.substring(0, v.length() - last), s.escapeNonAscii()));
                }
            }
            if (s.escapeNonAscii()) {
                out.add(new JStr(v, false));
            }
        }
        return out;
    }

    /** Number of nodes, a measure for "smaller". */
    static int size(J j) {
        if (j instanceof JObj o) {
            int n = 1;
            for (Member m : o.members()) {
                n += 1 + size(m.value());
            }
            return n;
        }
        if (j instanceof JArr a) {
            int n = 1;
            for (J i : a.items()) {
                n += size(i);
            }
            return n;
        }
        if (j instanceof JStr s) {
            return 1 + s.value().length();
        }
        return 1;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Known, deliberate differences between Busbar and event-ruler (spec EVENTBRIDGE.md sections 3 and 11).
    // The generator never produces these; each filter is named so that the exclusion is explicit.
    // ------------------------------------------------------------------------------------------------------------

    private static final Pattern IPV4_LIKE = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+");
    private static final Pattern IPV6_LIKE = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:]*");

    /**
     * Spec 3.3.9 ("Engine quirk"): event-ruler turns an exact string operand that looks like an IP address into an
     * IP range (so {@code ["10.0.0.1"]} would also match {@code "010.0.0.1"} or a differently spelled IPv6 address);
     * Busbar compares exact strings byte for byte (3.2 item 9). Exact string operands that event-ruler's regexes
     * take for an IP literal are therefore never generated. (event-ruler's own test is the two regexes below
     * followed by {@code InetAddress} parsing; rejecting everything the regexes accept is a superset.)
     */
    static boolean knownDifference_exactStringLooksLikeIp(String exactOperand) {
        return IPV4_LIKE.matcher(exactOperand).matches() || IPV6_LIKE.matcher(exactOperand).matches();
    }

    /**
     * Spec 3.3.4 and 11 item 17: Busbar folds equals-ignore-case per Unicode code point, event-ruler per UTF-16
     * char, which differs only for supplementary (astral) characters. Operands of equals-ignore-case (plain, prefix,
     * suffix, anything-but) never contain one.
     */
    static boolean knownDifference_astralInIgnoreCaseOperand(String ignoreCaseOperand) {
        return ignoreCaseOperand.codePoints().anyMatch(Character::isSupplementaryCodePoint);
    }

    /**
     * Spec 3.3.1 and 11 item 1: a number whose value is not exactly the double its shortest representation names
     * (e.g. {@code 123456789012345678901}) is compared as text only by Busbar; event-ruler's handling of such
     * numbers differs in corner cases. Such lexemes are never generated, neither in patterns nor in events.
     */
    static boolean knownDifference_numberNotExactlyADouble(String lexeme) {
        try {
            BigDecimal exact = new BigDecimal(lexeme);
            double d = exact.doubleValue();
            return Double.isNaN(d) || Double.isInfinite(d) || BigDecimal.valueOf(d).compareTo(exact) != 0;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * Not a difference but a crash of the oracle: event-ruler 2.1.0's {@code addRule} throws
     * {@code ArrayIndexOutOfBoundsException} (in {@code ByteMachine.addRangePattern}) for a one-sided range that
     * starts at the largest double ({@code [">", 1.7976931348623157e308]}, {@code ">="}) or ends at the most negative
     * one ({@code "<"}, {@code "<="} with {@code -1.7976931348623157e308}). Such ranges are never generated.
     */
    static boolean eventRulerCrash_oneSidedRangeFromDoubleMax(String op, String lexeme) {
        double v = Double.parseDouble(lexeme);
        return ((op.equals(">") || op.equals(">=")) && v == Double.MAX_VALUE)
                || ((op.equals("<") || op.equals("<=")) && v == -Double.MAX_VALUE);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Vocabularies.
    // ------------------------------------------------------------------------------------------------------------

    static final String[] STRINGS = {
        "", "a", "b", "ab", "abc", "abd", "ba", "cab", "A", "AB", "Abc", "aBC", "x*y", "x**y", "*", "x\\y", "\\",
        "x.y", "foo", "foobar", "barfoo", "FOO", "Foo", "running", "Running", "RUNNING", "stopped", "a b", "a\"b",
        "\"", "true", "null", "5", "100", "ü", "Ü", "日本", "😀", "a😀", "tab\there", "10.0.0.1",
    };

    static final String[] UNICODE = {
        "é", "É", "e", "ünïcödé", "ÜNÏCÖDÉ", "Ünïcödé", "straße", "STRASSE", "strasse", "STRAßE", "ß", "ẞ", "日本",
        "日本語", "語", "😀", "😀😀", "a😀b", "😀b", "Σίσυφος", "ΣΊΣΥΦΟΣ", "σ", "ς", "Σ", "İ", "i", "ı", "I", "ǅ",
        "ǆ", "Ǆ", "ﬀ", "FF", "\u212a", "k", "K", "\u00b5", "\u039c", "\u03bc", "\ud801\udc00", "\ud801\udc28",
        "Ω", "\u2126", "ω", "ÿ", "Ÿ", "a\u0301", "á",
    };

    static final String[] NUMBERS = {
        "0", "-0", "0.0", "1", "1.0", "1e0", "5", "10", "10.5", "100", "100.0", "1e2", "1E2", "1.0e2", "-1", "-5.5",
        "0.5", "3.14", "2.5e-3", "1000000", "999999.999999", "-1e9", "5e9", "1.7976931348623157e308",
        "-1.7976931348623157e308", "4.9e-324", "0.1", "0.30000000000000004", "123456789012", "42", "-100",
        "1e-7", "0.000001", "300", "3.0e2", "301.8", "3.018e2",
    };

    static final String[] IPS = {
        "10.0.0.1", "10.0.0.0", "10.0.0.255", "10.0.0.77", "10.0.1.0", "10.1.2.3", "11.0.0.1", "9.255.255.255",
        "192.168.1.1", "192.168.1.255", "192.168.2.1", "0.0.0.0", "255.255.255.255", "255.255.255.254",
        "2001:db8::1", "2001:db8::", "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8:0:1::1", "2001:db9::1",
        "2001:DB8::1", "fe80::1", "febf:ffff::1", "fec0::1", "::1", "::", "ffff::", "::ffff:10.0.0.1",
        "10.0.0.256", "10.0.0", "1.2.3.4.5", "2001:db8::1/64", " 10.0.0.1", "2001:db8:0:0:0:0:0:ff", "010.0.0.1",
    };

    static final String[] CIDRS = {
        "10.0.0.0/8", "10.0.0.0/24", "10.0.0.0/31", "10.0.0.77/24", "192.168.1.0/24", "192.168.0.0/16", "0.0.0.0/0",
        "10.0.0.1/31", "255.255.255.254/31", "11.0.0.0/30", "2001:db8::/32", "2001:db8::/64", "2001:db8::/127",
        "2001:db8::1/120", "::/0", "fe80::/10", "::/127", "2001:DB8::/48", "2001:db8:0:1::/64",
    };

    /** The kinds of value a field usually holds in generated events. */
    enum Kind { STR, NUM, BOOL, IP, UNI, MIXED }

    // ------------------------------------------------------------------------------------------------------------
    // The event schema: every leaf path a pattern may name.
    // ------------------------------------------------------------------------------------------------------------

    /** A path a pattern may name, with the kind of value events usually hold there. */
    record Slot(List<String> path, Kind kind) {
        String dotted() {
            return String.join(".", path);
        }
    }

    static final List<Slot> SLOTS = List.of(
            new Slot(List.of("source"), Kind.STR),
            new Slot(List.of("detail-type"), Kind.STR),
            new Slot(List.of("account"), Kind.MIXED),
            new Slot(List.of("resources"), Kind.STR),
            new Slot(List.of("detail", "state"), Kind.MIXED),
            new Slot(List.of("detail", "state", "status"), Kind.STR),
            new Slot(List.of("detail", "count"), Kind.NUM),
            new Slot(List.of("detail", "flag"), Kind.BOOL),
            new Slot(List.of("detail", "ip"), Kind.IP),
            new Slot(List.of("detail", "name"), Kind.UNI),
            new Slot(List.of("detail", "tags"), Kind.MIXED),
            new Slot(List.of("detail", "items", "kind"), Kind.STR),
            new Slot(List.of("detail", "items", "size"), Kind.NUM),
            new Slot(List.of("detail", "items", "owner", "id"), Kind.MIXED),
            new Slot(List.of("detail", "items", "sub", "z"), Kind.STR),
            new Slot(List.of("detail", "nested", "deep", "x"), Kind.MIXED),
            // intermediate nodes (objects / arrays of objects in events): exercise exists and leaf-only rules
            new Slot(List.of("detail", "nested"), Kind.MIXED),
            new Slot(List.of("detail", "items"), Kind.STR));

    /** Slots whose paths start with {@code prefix}. */
    static List<Slot> slotsUnder(List<String> prefix) {
        List<Slot> out = new ArrayList<>();
        for (Slot s : SLOTS) {
            if (s.path().size() > prefix.size() && s.path().subList(0, prefix.size()).equals(prefix)) {
                out.add(s);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Patterns.
    // ------------------------------------------------------------------------------------------------------------

    /** One condition: the value array for one path. {@code hints} are event values worth trying there. */
    record Cond(Slot slot, JArr values, List<J> hints) {
    }

    /** A {@code $or} placed at {@code prefix}, with its branches. */
    record Or(List<String> prefix, List<Branch> branches) {
    }

    /** One object level: its conditions and the {@code $or}s at (or below) it. */
    record Branch(List<Cond> conds, List<Or> ors) {
        int alternatives() {
            int n = 1;
            for (Or or : ors) {
                int sum = 0;
                for (Branch b : or.branches()) {
                    sum += b.alternatives();
                }
                n *= sum;
            }
            return n;
        }

        void collect(List<Cond> out) {
            out.addAll(conds);
            for (Or or : ors) {
                for (Branch b : or.branches()) {
                    b.collect(out);
                }
            }
        }
    }

    /** A generated pattern: its tree, its text, the abstract rule and the number of alternatives. */
    record GeneratedPattern(J json, String text, Branch rule) {
        int alternatives() {
            return rule.alternatives();
        }

        List<Cond> conds() {
            List<Cond> out = new ArrayList<>();
            rule.collect(out);
            return out;
        }
    }

    private final SplittableRandom rnd;

    PatternGenerator(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    SplittableRandom random() {
        return rnd;
    }

    boolean chance(double p) {
        return rnd.nextDouble() < p;
    }

    <T> T pick(T[] values) {
        return values[rnd.nextInt(values.length)];
    }

    <T> T pick(List<T> values) {
        return values.get(rnd.nextInt(values.size()));
    }

    /** A random valid pattern. */
    GeneratedPattern pattern() {
        Set<List<String>> used = new HashSet<>();
        Branch rule = branch(List.of(), used, 1 + rnd.nextInt(chance(0.3) ? 4 : 2), 0);
        J json = render(rule, List.of());
        return new GeneratedPattern(json, write(json), rule);
    }

    private Branch branch(List<String> prefix, Set<List<String>> used, int condCount, int depth) {
        List<Slot> candidates = new ArrayList<>(prefix.isEmpty() ? SLOTS : slotsUnder(prefix));
        List<Cond> conds = new ArrayList<>();
        List<Or> ors = new ArrayList<>();
        boolean wantOr = depth < 2 && chance(depth == 0 ? 0.3 : 0.15);
        int n = wantOr && chance(0.3) ? condCount - 1 : condCount;
        for (int i = 0; i < n; i++) {
            Slot s = freeSlot(candidates, used);
            if (s == null) {
                break;
            }
            used.add(s.path());
            conds.add(cond(s));
        }
        if (wantOr) {
            List<String> orPrefix = prefix;
            if (prefix.isEmpty() && chance(0.4)) {
                orPrefix = List.of("detail");
            } else if (prefix.size() == 1 && chance(0.2) && !used.contains(List.of("detail", "items"))) {
                orPrefix = List.of("detail", "items");
                used.add(orPrefix); // no condition on the intermediate node "items" beside this $or
            }
            int branches = 2 + (chance(0.3) ? 1 : 0);
            List<Branch> bs = new ArrayList<>();
            for (int b = 0; b < branches; b++) {
                Set<List<String>> branchUsed = new HashSet<>(used);
                Branch br = branch(orPrefix, branchUsed, 1 + (chance(0.3) ? 1 : 0), depth + 1);
                if (br.conds().isEmpty() && br.ors().isEmpty()) {
                    continue;
                }
                bs.add(br);
            }
            if (bs.size() >= 2) {
                ors.add(new Or(orPrefix, bs));
                // paths of all branches are used for this level's siblings (keeps every alternative free of
                // duplicate paths)
                for (Branch br : bs) {
                    List<Cond> all = new ArrayList<>();
                    br.collect(all);
                    for (Cond c : all) {
                        used.add(c.slot().path());
                    }
                }
            }
        }
        if (conds.isEmpty() && ors.isEmpty()) {
            Slot s = freeSlot(candidates, used);
            if (s != null) {
                used.add(s.path());
                conds.add(cond(s));
            }
        }
        return new Branch(conds, ors);
    }

    private Slot freeSlot(List<Slot> candidates, Set<List<String>> used) {
        for (int tries = 0; tries < 20; tries++) {
            Slot s = pick(candidates);
            if (!used.contains(s.path())) {
                return s;
            }
        }
        return null;
    }

    /** Renders a branch whose paths are relative to {@code prefix} as a pattern object. */
    private JObj render(Branch branch, List<String> prefix) {
        Node root = new Node();
        List<Cond> conds = new ArrayList<>(branch.conds());
        conds.sort((a, b) -> Integer.compare(a.slot().path().size(), b.slot().path().size())); // short paths first
        for (Cond c : conds) {
            insert(root, c.slot().path().subList(prefix.size(), c.slot().path().size()), c.values());
        }
        for (Or or : branch.ors()) {
            List<J> objs = new ArrayList<>();
            for (Branch b : or.branches()) {
                objs.add(render(b, or.prefix()));
            }
            Node at = objectAt(root, or.prefix().subList(prefix.size(), or.prefix().size()));
            at.members.put("$or", new JArr(objs));
        }
        return root.toJson(this);
    }

    /** A trie of pattern keys; a key is one or more path segments joined with dots. */
    private static final class Node {
        final LinkedHashMap<String, Object> members = new LinkedHashMap<>(); // value: Node or J

        JObj toJson(PatternGenerator g) {
            List<Member> ms = new ArrayList<>();
            for (Map.Entry<String, Object> e : members.entrySet()) {
                J v = e.getValue() instanceof Node n ? n.toJson(g) : (J) e.getValue();
                ms.add(new Member(e.getKey(), v));
            }
            // random member order
            for (int i = ms.size() - 1; i > 0; i--) {
                int k = g.rnd.nextInt(i + 1);
                Member t = ms.get(i);
                ms.set(i, ms.get(k));
                ms.set(k, t);
            }
            return new JObj(ms);
        }
    }

    private void insert(Node root, List<String> rel, JArr values) {
        for (int attempt = 0; attempt < 30; attempt++) {
            boolean dotted = attempt > 0 || chance(0.15);
            List<String> tokens = tokenize(rel, dotted);
            if (fits(root, tokens)) {
                Node at = root;
                for (int i = 0; i < tokens.size() - 1; i++) {
                    at = (Node) at.members.computeIfAbsent(tokens.get(i), k -> new Node());
                }
                at.members.put(tokens.get(tokens.size() - 1), values);
                return;
            }
        }
        throw new IllegalStateException("cannot place " + rel);
    }

    private static boolean fits(Node root, List<String> tokens) {
        Node at = root;
        for (int i = 0; i < tokens.size(); i++) {
            Object existing = at.members.get(tokens.get(i));
            boolean last = i == tokens.size() - 1;
            if (existing == null) {
                return true;
            }
            if (last || !(existing instanceof Node)) {
                return false;
            }
            at = (Node) existing;
        }
        return false;
    }

    private Node objectAt(Node root, List<String> rel) {
        Node at = root;
        for (String seg : rel) {
            Object existing = at.members.get(seg);
            if (existing == null) {
                Node n = new Node();
                at.members.put(seg, n);
                at = n;
            } else if (existing instanceof Node n) {
                at = n;
            } else {
                throw new IllegalStateException("leaf in the way of $or at " + rel);
            }
        }
        return at;
    }

    /** Splits a path into keys, joining neighbouring segments with dots at random when {@code dotted}. */
    private List<String> tokenize(List<String> rel, boolean dotted) {
        List<String> tokens = new ArrayList<>();
        StringBuilder cur = new StringBuilder(rel.get(0));
        for (int i = 1; i < rel.size(); i++) {
            if (dotted && chance(0.5)) {
                cur.append('.').append(rel.get(i));
            } else {
                tokens.add(cur.toString());
                cur = new StringBuilder(rel.get(i));
            }
        }
        tokens.add(cur.toString());
        return tokens;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Value arrays (the matchers of one field).
    // ------------------------------------------------------------------------------------------------------------

    private Cond cond(Slot s) {
        int n = chance(0.6) ? 1 : chance(0.7) ? 2 : 3;
        List<J> values = new ArrayList<>();
        List<J> hints = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(matcher(s.kind(), hints));
        }
        return new Cond(s, new JArr(values), hints);
    }

    /** A word of the kind's vocabulary (sometimes of another kind). */
    String word(Kind kind) {
        Kind k = kind;
        if (k == Kind.MIXED || chance(0.1)) {
            k = pick(new Kind[] {Kind.STR, Kind.UNI, Kind.IP, Kind.STR});
        }
        return switch (k) {
            case UNI -> pick(UNICODE);
            case IP -> pick(IPS);
            default -> pick(STRINGS);
        };
    }

    String number() {
        return pick(NUMBERS);
    }

    private J matcher(Kind kind, List<J> hints) {
        int r = rnd.nextInt(100);
        // weights: exact values are more frequent on their own kind
        if (kind == Kind.NUM && r < 25) {
            return numericMatcher(hints);
        }
        if (kind == Kind.IP && r < 25) {
            return cidrMatcher(hints);
        }
        if (kind == Kind.BOOL && r < 25) {
            String lit = pick(new String[] {"true", "false", "null"});
            hints.add(new JLit(lit));
            return new JLit(lit);
        }
        switch (rnd.nextInt(22)) {
            case 0, 1, 2: {
                String s = word(kind);
                if (knownDifference_exactStringLooksLikeIp(s)) {
                    s = "not-an-ip";
                }
                hints.add(str(s));
                hints.add(str(caseFlip(s)));
                return str(s);
            }
            case 3: {
                String n = number();
                hints.add(new JLit(n));
                hints.add(new JLit(pick(NUMBERS)));
                return new JLit(n);
            }
            case 4: {
                String lit = pick(new String[] {"true", "false", "null"});
                hints.add(new JLit(lit));
                return new JLit(lit);
            }
            case 5: {
                String p = prefixOf(word(kind));
                hints.add(str(p + word(kind)));
                hints.add(str(p));
                return obj("prefix", str(p));
            }
            case 6: {
                String s = suffixOf(word(kind));
                hints.add(str(word(kind) + s));
                hints.add(str(s));
                return obj("suffix", str(s));
            }
            case 7: {
                String s = ignoreCaseOperand(kind);
                hints.add(str(caseFlip(s)));
                hints.add(str(s));
                return obj("equals-ignore-case", str(s));
            }
            case 8: {
                String p = ignoreCaseOperand(kind);
                p = prefixOf(p);
                hints.add(str(caseFlip(p) + word(kind)));
                return obj("prefix", obj("equals-ignore-case", str(p)));
            }
            case 9: {
                String s = suffixOf(ignoreCaseOperand(kind));
                hints.add(str(word(kind) + caseFlip(s)));
                return obj("suffix", obj("equals-ignore-case", str(s)));
            }
            case 10, 11: {
                return obj("wildcard", str(wildcard(kind, hints)));
            }
            case 12, 13, 14, 15: {
                return anythingBut(kind, hints);
            }
            case 16, 17: {
                return numericMatcher(hints);
            }
            case 18, 19: {
                return obj("exists", new JLit(chance(0.5) ? "true" : "false"));
            }
            default: {
                return cidrMatcher(hints);
            }
        }
    }

    private String ignoreCaseOperand(Kind kind) {
        for (int i = 0; i < 20; i++) {
            String s = word(kind);
            if (!knownDifference_astralInIgnoreCaseOperand(s)) {
                return chance(0.5) ? caseFlip(s) : s;
            }
        }
        return "abc";
    }

    String prefixOf(String s) {
        int[] cps = s.codePoints().toArray();
        int len = rnd.nextInt(cps.length + 1);
        return new String(cps, 0, len);
    }

    String suffixOf(String s) {
        int[] cps = s.codePoints().toArray();
        int len = rnd.nextInt(cps.length + 1);
        return new String(cps, cps.length - len, len);
    }

    /** Flips the case of some code points (per code point, as Java maps them). */
    String caseFlip(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            int r = rnd.nextInt(3);
            int m = r == 0 ? Character.toUpperCase(cp) : r == 1 ? Character.toLowerCase(cp) : cp;
            sb.appendCodePoint(m);
        });
        return sb.toString();
    }

    /** A wildcard operand (escaped, as written in the pattern); adds matching candidates to {@code hints}. */
    private String wildcard(Kind kind, List<J> hints) {
        String w = word(kind);
        while (w.contains("0000") || w.contains(":0:0")) {
            w = word(kind); // repetitive text after a '*' makes a wildcard "too complex" (spec 3.3.5)
        }
        int[] cps = w.codePoints().toArray();
        StringBuilder operand = new StringBuilder();
        StringBuilder instance = new StringBuilder();
        StringBuilder instance2 = new StringBuilder();
        int stars = 0;
        boolean lastStar = false;
        for (int i = 0; i <= cps.length; i++) {
            if (!lastStar && stars < 2 && chance(0.25)) {
                operand.append('*');
                instance.append(chance(0.5) ? "" : word(kind));
                instance2.append('*');
                stars++;
                lastStar = true;
                if (i < cps.length && chance(0.3)) {
                    continue; // the star replaces this character
                }
            }
            if (i == cps.length) {
                break;
            }
            int cp = cps[i];
            if (cp == '*') {
                operand.append("\\*");
            } else if (cp == '\\') {
                operand.append("\\\\");
            } else {
                operand.appendCodePoint(cp);
            }
            instance.appendCodePoint(cp);
            instance2.appendCodePoint(cp);
            lastStar = false;
        }
        hints.add(str(instance.toString()));
        hints.add(str(instance2.toString()));
        return operand.toString();
    }

    private J anythingBut(Kind kind, List<J> hints) {
        switch (rnd.nextInt(9)) {
            case 0: {
                String s = word(kind);
                hints.add(str(s));
                return obj("anything-but", str(s));
            }
            case 1: {
                String n = number();
                hints.add(new JLit(n));
                return obj("anything-but", new JLit(n));
            }
            case 2: {
                List<J> vs = new ArrayList<>();
                for (int i = 0, c = 1 + rnd.nextInt(3); i < c; i++) {
                    String s = word(kind);
                    vs.add(str(s));
                    hints.add(str(s));
                }
                return obj("anything-but", new JArr(vs));
            }
            case 3: {
                List<J> vs = new ArrayList<>();
                for (int i = 0, c = 1 + rnd.nextInt(3); i < c; i++) {
                    String n = number();
                    vs.add(new JLit(n));
                    hints.add(new JLit(n));
                }
                return obj("anything-but", new JArr(vs));
            }
            case 4: {
                return obj("anything-but", obj("prefix", stringOrList(kind, hints, true, false)));
            }
            case 5: {
                return obj("anything-but", obj("suffix", stringOrList(kind, hints, false, true)));
            }
            case 6: {
                List<J> vs = new ArrayList<>();
                for (int i = 0, c = 1 + rnd.nextInt(3); i < c; i++) {
                    String s = ignoreCaseOperand(kind);
                    vs.add(str(s));
                    hints.add(str(caseFlip(s)));
                }
                return obj("anything-but", obj("equals-ignore-case", vs.size() == 1 && chance(0.5)
                        ? vs.get(0) : new JArr(vs)));
            }
            default: {
                List<J> vs = new ArrayList<>();
                for (int i = 0, c = 1 + rnd.nextInt(2); i < c; i++) {
                    vs.add(str(wildcard(kind, hints)));
                }
                return obj("anything-but", obj("wildcard", vs.size() == 1 && chance(0.5)
                        ? vs.get(0) : new JArr(vs)));
            }
        }
    }

    private J stringOrList(Kind kind, List<J> hints, boolean prefix, boolean suffix) {
        List<J> vs = new ArrayList<>();
        for (int i = 0, c = 1 + rnd.nextInt(3); i < c; i++) {
            String w = word(kind);
            String s = prefix ? prefixOf(w) : suffixOf(w);
            if (s.isEmpty()) {
                s = w.isEmpty() ? "a" : w;
            }
            vs.add(str(s));
            hints.add(str(prefix ? s + word(kind) : word(kind) + s));
            hints.add(str(w));
        }
        return vs.size() == 1 && chance(0.5) ? vs.get(0) : new JArr(vs);
    }

    private J numericMatcher(List<J> hints) {
        String[] ops = {"=", "<", "<=", ">", ">="};
        if (chance(0.5)) {
            String op = pick(ops);
            String n = number();
            while (eventRulerCrash_oneSidedRangeFromDoubleMax(op, n)) {
                n = number();
            }
            numberHints(n, hints);
            return obj("numeric", arr(str(op), new JLit(n)));
        }
        String a = number();
        String b = number();
        int cmp = new BigDecimal(a).compareTo(new BigDecimal(b));
        if (cmp == 0) {
            b = "1e10";
            cmp = new BigDecimal(a).compareTo(new BigDecimal(b));
            if (cmp == 0) {
                a = "0";
            }
        }
        if (cmp > 0) {
            String t = a;
            a = b;
            b = t;
        }
        numberHints(a, hints);
        numberHints(b, hints);
        return obj("numeric", arr(str(chance(0.5) ? ">" : ">="), new JLit(a), str(chance(0.5) ? "<" : "<="),
                new JLit(b)));
    }

    private void numberHints(String n, List<J> hints) {
        hints.add(new JLit(n));
        BigDecimal v = new BigDecimal(n);
        if (v.abs().compareTo(BigDecimal.TEN.pow(15)) > 0) {
            return; // neighbours of huge numbers are not doubles anyway
        }
        for (BigDecimal d : new BigDecimal[] {BigDecimal.ONE, new BigDecimal("0.5"), new BigDecimal("1e-9")}) {
            for (BigDecimal c : new BigDecimal[] {v.add(d), v.subtract(d)}) {
                String lex = c.toString();
                if (!knownDifference_numberNotExactlyADouble(lex)) {
                    hints.add(new JLit(lex));
                }
            }
        }
    }

    private J cidrMatcher(List<J> hints) {
        String cidr = pick(CIDRS);
        int slash = cidr.indexOf('/');
        try {
            byte[] base = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            int bits = Integer.parseInt(cidr.substring(slash + 1));
            int total = base.length * 8;
            BigInteger b = new BigInteger(1, base);
            BigInteger hostMask = BigInteger.ONE.shiftLeft(total - bits).subtract(BigInteger.ONE);
            BigInteger low = b.andNot(hostMask);
            BigInteger high = low.or(hostMask);
            BigInteger max = BigInteger.ONE.shiftLeft(total).subtract(BigInteger.ONE);
            BigInteger inside = low.add(new BigInteger(total, new java.util.Random(rnd.nextLong())).and(hostMask));
            for (BigInteger v : new BigInteger[] {low, high, inside, low.subtract(BigInteger.ONE),
                high.add(BigInteger.ONE)}) {
                if (v.signum() >= 0 && v.compareTo(max) <= 0) {
                    hints.add(str(formatIp(v, base.length)));
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return obj("cidr", str(cidr));
    }

    private String formatIp(BigInteger v, int bytes) throws UnknownHostException {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes && i < raw.length; i++) {
            out[bytes - 1 - i] = raw[raw.length - 1 - i];
        }
        String s = InetAddress.getByAddress(out).getHostAddress();
        if (bytes == 16 && chance(0.5)) {
            s = s.replaceFirst("(^|:)(0(:|$)){2,}", "::"); // compress the first run of zero groups
            if (s.startsWith(":::")) {
                s = s.substring(1);
            }
        }
        return s;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Events.
    // ------------------------------------------------------------------------------------------------------------

    /** Event values worth trying per dotted path, collected from the patterns of a rule set. */
    static Map<String, List<J>> hints(List<GeneratedPattern> patterns) {
        Map<String, List<J>> out = new LinkedHashMap<>();
        for (GeneratedPattern p : patterns) {
            for (Cond c : p.conds()) {
                out.computeIfAbsent(c.slot().dotted(), k -> new ArrayList<>()).addAll(c.hints());
            }
        }
        return out;
    }

    /** A random event biased towards {@code hints} (no duplicate keys). */
    J event(Map<String, List<J>> hints) {
        List<Member> ms = new ArrayList<>();
        ms.add(new Member("version", str("0")));
        ms.add(new Member("id", str("6a7e8feb-b491-4cf7-a9f1-bf3703467718")));
        addLeaf(ms, "source", List.of("source"), Kind.STR, hints);
        addLeaf(ms, "detail-type", List.of("detail-type"), Kind.STR, hints);
        addLeaf(ms, "account", List.of("account"), Kind.MIXED, hints);
        if (chance(0.6)) {
            ms.add(new Member("resources", scalarArray(List.of("resources"), Kind.STR, hints)));
        }
        if (chance(0.9)) {
            ms.add(new Member("detail", detail(hints)));
        }
        ms.add(new Member("region", str("us-east-1")));
        return new JObj(maybeFlatten(shuffle(ms)));
    }

    private J detail(Map<String, List<J>> hints) {
        List<Member> ms = new ArrayList<>();
        // state: a scalar, or an object holding status
        if (chance(0.35)) {
            List<Member> state = new ArrayList<>();
            addLeaf(state, "status", List.of("detail", "state", "status"), Kind.STR, hints);
            if (chance(0.3)) {
                state.add(new Member("other", str("x")));
            }
            ms.add(new Member("state", new JObj(state)));
        } else {
            addLeaf(ms, "state", List.of("detail", "state"), Kind.MIXED, hints);
        }
        addLeaf(ms, "count", List.of("detail", "count"), Kind.NUM, hints);
        addLeaf(ms, "flag", List.of("detail", "flag"), Kind.BOOL, hints);
        addLeaf(ms, "ip", List.of("detail", "ip"), Kind.IP, hints);
        addLeaf(ms, "name", List.of("detail", "name"), Kind.UNI, hints);
        if (chance(0.6)) {
            ms.add(new Member("tags", scalarArray(List.of("detail", "tags"), Kind.MIXED, hints)));
        }
        if (chance(0.75)) {
            List<J> items = new ArrayList<>();
            for (int i = 0, n = rnd.nextInt(4); i < n; i++) {
                items.add(item(hints));
            }
            if (chance(0.05)) {
                items.add(str("loose"));
            }
            ms.add(new Member("items", new JArr(items)));
        }
        if (chance(0.5)) {
            List<Member> deep = new ArrayList<>();
            addLeaf(deep, "x", List.of("detail", "nested", "deep", "x"), Kind.MIXED, hints);
            ms.add(new Member("nested", chance(0.1) ? new JArr(List.of(obj("deep", new JObj(deep))))
                    : obj("deep", new JObj(deep))));
        }
        return new JObj(maybeFlatten(shuffle(ms)));
    }

    private J item(Map<String, List<J>> hints) {
        List<Member> ms = new ArrayList<>();
        addLeaf(ms, "kind", List.of("detail", "items", "kind"), Kind.STR, hints);
        addLeaf(ms, "size", List.of("detail", "items", "size"), Kind.NUM, hints);
        if (chance(0.4)) {
            List<Member> owner = new ArrayList<>();
            addLeaf(owner, "id", List.of("detail", "items", "owner", "id"), Kind.MIXED, hints);
            ms.add(new Member("owner", new JObj(owner)));
        }
        if (chance(0.3)) {
            List<J> subs = new ArrayList<>();
            for (int i = 0, n = rnd.nextInt(3); i < n; i++) {
                List<Member> sub = new ArrayList<>();
                addLeaf(sub, "z", List.of("detail", "items", "sub", "z"), Kind.STR, hints);
                subs.add(new JObj(sub));
            }
            ms.add(new Member("sub", new JArr(subs)));
        }
        return new JObj(maybeFlatten(shuffle(ms)));
    }

    private JArr scalarArray(List<String> path, Kind kind, Map<String, List<J>> hints) {
        List<J> items = new ArrayList<>();
        for (int i = 0, n = rnd.nextInt(4); i < n; i++) {
            J v = leaf(path, kind, hints);
            items.add(chance(0.08) ? arr(v) : v); // nested arrays are transparent too
        }
        return new JArr(items);
    }

    private void addLeaf(List<Member> ms, String key, List<String> path, Kind kind, Map<String, List<J>> hints) {
        if (!chance(0.7)) {
            return;
        }
        J v = leaf(path, kind, hints);
        int r = rnd.nextInt(100);
        if (r < 3) {
            v = new JArr(List.of());
        } else if (r < 5) {
            v = obj("k", new JLit("1"));
        } else if (r < 10) {
            v = arr(v, leaf(path, kind, hints));
        } else if (r < 12) {
            v = arr(v);
        }
        ms.add(new Member(key, v));
    }

    /** One scalar for a path: half the time a hint from the rule set, otherwise from the kind's vocabulary. */
    J leaf(List<String> path, Kind kind, Map<String, List<J>> hints) {
        List<J> hs = hints.get(String.join(".", path));
        if (hs != null && !hs.isEmpty() && chance(0.55)) {
            J h = pick(hs);
            if (h instanceof JStr s && chance(0.15)) {
                return new JStr(s.value(), true);
            }
            return h;
        }
        Kind k = kind == Kind.MIXED ? pick(new Kind[] {Kind.STR, Kind.NUM, Kind.BOOL, Kind.UNI, Kind.STR}) : kind;
        if (chance(0.08)) {
            k = pick(Kind.values());
        }
        return switch (k) {
            case NUM -> new JLit(number());
            case BOOL -> chance(0.8) ? new JLit(pick(new String[] {"true", "false", "null"})) : str("true");
            case IP -> str(pick(IPS));
            case UNI -> new JStr(pick(UNICODE), chance(0.15));
            default -> str(pick(STRINGS));
        };
    }

    private List<Member> shuffle(List<Member> ms) {
        List<Member> out = new ArrayList<>(ms);
        for (int i = out.size() - 1; i > 0; i--) {
            int k = rnd.nextInt(i + 1);
            Member t = out.get(i);
            out.set(i, out.get(k));
            out.set(k, t);
        }
        return out;
    }

    /**
     * Sometimes writes a member holding an object as dotted keys ({@code "state":{"status":1}} becomes
     * {@code "state.status":1}), never creating a duplicate key.
     */
    private List<Member> maybeFlatten(List<Member> ms) {
        if (!chance(0.15)) {
            return ms;
        }
        List<Member> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Member m : ms) {
            keys.add(m.key());
        }
        for (Member m : ms) {
            if (m.value() instanceof JObj o && !o.members().isEmpty() && chance(0.5)) {
                boolean clash = false;
                for (Member c : o.members()) {
                    clash |= keys.contains(m.key() + "." + c.key());
                }
                if (!clash) {
                    for (Member c : o.members()) {
                        out.add(new Member(m.key() + "." + c.key(), c.value()));
                        keys.add(m.key() + "." + c.key());
                    }
                    continue;
                }
            }
            out.add(m);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Random (mostly invalid) JSON and bytes for fuzzing.
    // ------------------------------------------------------------------------------------------------------------

    static final String[] FUZZ_KEYS = {
        "a", "b", "detail", "source", "$or", "prefix", "suffix", "anything-but", "numeric", "exists", "cidr",
        "wildcard", "equals-ignore-case", "exactly", "regex", "", "a.b", "x\u0000y", "😀",
    };

    /** Arbitrary JSON of bounded depth, biased towards pattern vocabulary. */
    J randomJson(int depth) {
        int r = rnd.nextInt(depth <= 0 ? 6 : 10);
        switch (r) {
            case 0:
                return str(chance(0.5) ? pick(STRINGS) : pick(new String[] {"=", "<", ">=", "<=", ">", "x/8",
                    "10.0.0.0/33", "a**b", "a\\b", "*"}));
            case 1:
                return new JLit(chance(0.8) ? number() : pick(new String[] {"1e400", "-1e400", "123456789012345678901",
                    "1e-400", "0.1e1"}));
            case 2:
                return new JLit(pick(new String[] {"true", "false", "null"}));
            case 3:
                return str(pick(UNICODE));
            case 4:
                return str(pick(CIDRS));
            case 5:
                return str(pick(IPS));
            case 6:
            case 7: {
                List<J> items = new ArrayList<>();
                for (int i = 0, n = rnd.nextInt(4); i < n; i++) {
                    items.add(randomJson(depth - 1));
                }
                return new JArr(items);
            }
            default: {
                List<Member> ms = new ArrayList<>();
                Set<String> keys = new HashSet<>();
                for (int i = 0, n = rnd.nextInt(4); i < n; i++) {
                    String k = pick(FUZZ_KEYS);
                    if (keys.add(k) || chance(0.1)) {
                        ms.add(new Member(k, randomJson(depth - 1)));
                    }
                }
                return new JObj(ms);
            }
        }
    }

    /** Text mutations: delete, insert, replace, duplicate or truncate at random. */
    String mutate(String text) {
        StringBuilder sb = new StringBuilder(text);
        for (int m = 0, n = 1 + rnd.nextInt(3); m < n; m++) {
            int len = sb.length();
            int pos = len == 0 ? 0 : rnd.nextInt(len + 1);
            String junk = pick(new String[] {"{", "}", "[", "]", "\"", ":", ",", "\\", "\\u", "\\ud800", "0", "-",
                "e", ".", "tru", "nul", " ", "\u0000", "😀", "$or", "\"a\":", "1e999", "[[[["});
            switch (rnd.nextInt(5)) {
                case 0 -> {
                    if (len > 0 && pos < len) {
                        sb.deleteCharAt(pos);
                    }
                }
                case 1 -> sb.insert(pos, junk);
                case 2 -> {
                    if (len > 0 && pos < len) {
                        sb.setCharAt(pos, junk.charAt(0));
                    }
                }
                case 3 -> {
                    int end = Math.min(len, pos + rnd.nextInt(10));
                    sb.insert(pos, sb.substring(pos, end));
                }
                default -> sb.setLength(pos);
            }
        }
        return sb.toString();
    }

    /** Random bytes, sometimes biased to JSON punctuation and invalid UTF-8. */
    byte[] randomBytes(int maxLength) {
        byte[] b = new byte[rnd.nextInt(maxLength + 1)];
        boolean jsonish = chance(0.5);
        byte[] punct = "{}[]\":,\\ 0123456789.-eEtrufalsn".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < b.length; i++) {
            b[i] = jsonish && chance(0.8) ? punct[rnd.nextInt(punct.length)] : (byte) rnd.nextInt(256);
        }
        if (b.length > 0 && chance(0.5)) {
            b[0] = '{';
        }
        return b;
    }

    /** {@code depth} nested arrays or objects (or a mix) around a value, optionally left unclosed. */
    static String deeplyNested(int depth, boolean objects, boolean mixed, boolean closed) {
        StringBuilder sb = new StringBuilder("{\"a\":");
        for (int i = 0; i < depth; i++) {
            boolean o = mixed ? (i % 2 == 0) : objects;
            sb.append(o ? "{\"a\":" : "[");
        }
        sb.append("1");
        if (closed) {
            for (int i = depth - 1; i >= 0; i--) {
                boolean o = mixed ? (i % 2 == 0) : objects;
                sb.append(o ? "}" : "]");
            }
            sb.append('}');
        }
        return sb.toString();
    }
}
