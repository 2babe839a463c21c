package io.busbar.server;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 on a request signed in the {@code Authorization} header, as AWS does: it
 * rebuilds the canonical request from the method, path, query, the signed headers and the body's SHA-256, derives
 * the signing key from the secret of the access key id, and compares signatures in constant time. The request
 * time ({@code X-Amz-Date}) must be within 15 minutes of the clock.
 *
 * <p>Implementation notes: the canonical path is each segment of the raw path URI-encoded once more (AWS services
 * other than S3 sign the doubly-encoded path); query parameters are decoded, re-encoded with the RFC 3986
 * unreserved set and sorted; header values are trimmed with inner runs of spaces collapsed, several values of one
 * header joined by commas. Any scope (region, service) is accepted: the signature covers it, and a local bus answers
 * for every region. Immutable and thread-safe.
 */
final class SigV4Verifier {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final String BAD_TOKEN = "The security token included in the request is invalid.";
    static final String BAD_SIGNATURE = "The request signature we calculated does not match the signature you "
            + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for "
            + "details.";
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private final Map<String, String> secrets;
    private final Clock clock;

    /** @param secrets secret access key by access key id */
    SigV4Verifier(Map<String, String> secrets, Clock clock) {
        this.secrets = Map.copyOf(secrets);
        this.clock = clock;
    }

    /** Returns normally for a good signature; throws {@link ApiException} with AWS's error otherwise. */
    void verify(FullHttpRequest request) {
        String authorization = request.headers().get("Authorization");
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.badRequest(ApiException.UNRECOGNIZED_CLIENT, BAD_TOKEN);
        }
        if (!authorization.startsWith(ALGORITHM + " ")) {
            throw ApiException.badRequest(ApiException.INCOMPLETE_SIGNATURE,
                    "Authorization header requires the " + ALGORITHM + " algorithm.");
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String value = p.substring(eq + 1).trim();
            switch (p.substring(0, eq).trim()) {
                case "Credential" -> credential = value;
                case "SignedHeaders" -> signedHeaders = value;
                case "Signature" -> signature = value;
                default -> {
                }
            }
        }
        List<String> missing = new ArrayList<>();
        if (credential == null) {
            missing.add("Authorization header requires 'Credential' parameter.");
        }
        if (signedHeaders == null) {
            missing.add("Authorization header requires 'SignedHeaders' parameter.");
        }
        if (signature == null) {
            missing.add("Authorization header requires 'Signature' parameter.");
        }
        String amzDate = request.headers().get("X-Amz-Date");
        if (amzDate == null) {
            missing.add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        if (!missing.isEmpty()) {
            throw ApiException.badRequest(ApiException.INCOMPLETE_SIGNATURE, String.join(" ", missing)
                    + " Authorization=" + authorization);
        }
        String[] scope = credential.split("/");
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            throw ApiException.badRequest(ApiException.INCOMPLETE_SIGNATURE,
                    "Credential should be scoped to a valid region, service and aws4_request terminator. Credential="
                            + credential);
        }
        String secret = secrets.get(scope[0]);
        if (secret == null) {
            throw ApiException.badRequest(ApiException.UNRECOGNIZED_CLIENT, BAD_TOKEN);
        }
        checkTime(amzDate);
        String canonical = canonicalRequest(request, signedHeaders);
        String credentialScope = scope[1] + "/" + scope[2] + "/" + scope[3] + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + credentialScope + "\n"
                + HEX.formatHex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scope[1]);
        key = hmac(key, scope[2]);
        key = hmac(key, scope[3]);
        key = hmac(key, "aws4_request");
        byte[] expected = HEX.formatHex(hmac(key, stringToSign)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw ApiException.badRequest(ApiException.INVALID_SIGNATURE, BAD_SIGNATURE);
        }
    }

    private void checkTime(String amzDate) {
        Instant t;
        try {
            t = AMZ_DATE.parse(amzDate, Instant::from);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(ApiException.INCOMPLETE_SIGNATURE,
                    "Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'.");
        }
        Instant now = clock.instant();
        if (t.isBefore(now.minus(MAX_SKEW))) {
            throw ApiException.badRequest(ApiException.INVALID_SIGNATURE, "Signature expired: " + amzDate
                    + " is now earlier than " + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now)
                    + " - 15 min.)");
        }
        if (t.isAfter(now.plus(MAX_SKEW))) {
            throw ApiException.badRequest(ApiException.INVALID_SIGNATURE, "Signature not yet current: " + amzDate
                    + " is still later than " + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now)
                    + " + 15 min.)");
        }
    }

    static String canonicalRequest(FullHttpRequest request, String signedHeaders) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        String rawPath = q < 0 ? uri : uri.substring(0, q);
        String rawQuery = q < 0 ? "" : uri.substring(q + 1);
        StringBuilder sb = new StringBuilder();
        sb.append(request.method().name()).append('\n');
        sb.append(canonicalPath(rawPath)).append('\n');
        sb.append(canonicalQuery(rawQuery)).append('\n');
        for (String name : signedHeaders.split(";")) {
            List<String> values = request.headers().getAll(name);
            List<String> trimmed = new ArrayList<>(values.size());
            for (String v : values) {
                trimmed.add(v.trim().replaceAll(" +", " "));
            }
            sb.append(name).append(':').append(String.join(",", trimmed)).append('\n');
        }
        sb.append('\n').append(signedHeaders).append('\n');
        sb.append(payloadHash(request));
        return sb.toString();
    }

    private static String payloadHash(FullHttpRequest request) {
        String declared = request.headers().get("x-amz-content-sha256");
        if ("UNSIGNED-PAYLOAD".equals(declared)) {
            return declared;
        }
        ByteBuffer body = request.content().nioBuffer();
        String actual = HEX.formatHex(sha256(body));
        if (declared != null && !declared.equalsIgnoreCase(actual)) {
            throw ApiException.badRequest(ApiException.INVALID_SIGNATURE,
                    "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        return actual;
    }

    private static String canonicalPath(String rawPath) {
        if (rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder sb = new StringBuilder();
        String[] segments = rawPath.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(encode(segments[i]));
        }
        return sb.toString();
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> params = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = QueryStringDecoder.decodeComponent(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : QueryStringDecoder.decodeComponent(pair.substring(eq + 1));
            params.add(new String[] {encode(k), encode(v)});
        }
        params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder sb = new StringBuilder();
        for (String[] p : params) {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    /** RFC 3986 percent-encoding of everything but the unreserved characters. */
    static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    private static byte[] sha256(byte[] data) {
        return sha256(ByteBuffer.wrap(data));
    }

    private static byte[] sha256(ByteBuffer data) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(data);
            return d.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
