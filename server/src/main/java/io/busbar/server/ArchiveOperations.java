package io.busbar.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.Archive;
import io.busbar.core.ArchiveState;
import io.busbar.core.Busbar;
import io.busbar.core.Page;
import io.busbar.core.Replay;
import io.busbar.core.ReplayDestination;
import io.busbar.core.ReplayState;
import java.time.Instant;
import java.util.List;

/**
 * CreateArchive, DescribeArchive, UpdateArchive, ListArchives, DeleteArchive (spec 8.2) and StartReplay,
 * DescribeReplay, ListReplays, CancelReplay (spec 8.3). {@code KmsKeyIdentifier} is accepted and ignored: Busbar
 * does not encrypt archives.
 */
final class ArchiveOperations implements OperationGroup {
    private final Busbar busbar;

    ArchiveOperations(Busbar busbar) {
        this.busbar = busbar;
    }

    @Override
    public void register(Operations.Registry r) {
        r.control("CreateArchive", this::createArchive);
        r.control("DescribeArchive", this::describeArchive);
        r.control("UpdateArchive", this::updateArchive);
        r.control("ListArchives", this::listArchives);
        r.control("DeleteArchive", this::deleteArchive);
        r.control("StartReplay", this::startReplay);
        r.control("DescribeReplay", this::describeReplay);
        r.control("ListReplays", this::listReplays);
        r.control("CancelReplay", this::cancelReplay);
    }

    // ---------------------------------------------------------------- archives

    private static String archiveName(Shape in) {
        return in.required("ArchiveName", 1, 48, Models.NAME);
    }

    private static String eventPattern(Shape in) {
        String pattern = in.string("EventPattern");
        if (pattern != null && pattern.length() > 4096) {
            in.constraint("EventPattern", pattern, "Member must have length less than or equal to 4096");
        }
        return pattern;
    }

    private JsonNode createArchive(Shape in) {
        String name = archiveName(in);
        String source = in.required("EventSourceArn", 1, 1600, Models.ARN);
        String description = in.string("Description", 0, 512, null);
        String pattern = eventPattern(in);
        Integer retention = in.integer("RetentionDays", 0, null);
        in.string("KmsKeyIdentifier", 0, 2048, null);
        in.validate();
        return summary(busbar.createArchive(name, source, description, pattern, retention));
    }

    /** The output of CreateArchive and UpdateArchive. */
    private static ObjectNode summary(Archive a) {
        ObjectNode out = Json.object();
        out.put("ArchiveArn", a.arn());
        out.put("State", a.state().name());
        Json.putIfPresent(out, "StateReason", a.stateReason());
        out.set("CreationTime", Json.timestamp(a.created()));
        return out;
    }

    private JsonNode describeArchive(Shape in) {
        String name = archiveName(in);
        in.validate();
        Archive a = busbar.describeArchive(name);
        ObjectNode out = Json.object();
        out.put("ArchiveArn", a.arn());
        out.put("ArchiveName", a.name());
        out.put("EventSourceArn", a.eventSourceArn());
        Json.putIfPresent(out, "Description", a.description());
        Json.putIfPresent(out, "EventPattern", a.eventPattern());
        out.put("State", a.state().name());
        Json.putIfPresent(out, "StateReason", a.stateReason());
        out.put("RetentionDays", a.retentionDays());
        out.put("SizeBytes", a.sizeBytes());
        out.put("EventCount", a.eventCount());
        out.set("CreationTime", Json.timestamp(a.created()));
        return out;
    }

    private JsonNode updateArchive(Shape in) {
        String name = archiveName(in);
        String description = in.string("Description", 0, 512, null);
        String pattern = eventPattern(in);
        Integer retention = in.integer("RetentionDays", 0, null);
        in.string("KmsKeyIdentifier", 0, 2048, null);
        in.validate();
        return summary(busbar.updateArchive(name, description, pattern, retention));
    }

    private JsonNode listArchives(Shape in) {
        String prefix = in.string("NamePrefix", 1, 48, Models.NAME);
        String source = in.string("EventSourceArn", 1, 1600, Models.ARN);
        String state = in.enumValue("State", false, Models.ARCHIVE_STATES);
        Integer limit = Models.limit(in);
        String token = Models.nextToken(in);
        in.validate();
        Page<Archive> page = busbar.listArchives(prefix, source, state == null ? null : ArchiveState.valueOf(state),
                limit, token);
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("Archives");
        for (Archive a : page.items()) {
            ObjectNode o = list.addObject();
            o.put("ArchiveName", a.name());
            o.put("EventSourceArn", a.eventSourceArn());
            o.put("State", a.state().name());
            Json.putIfPresent(o, "StateReason", a.stateReason());
            o.put("RetentionDays", a.retentionDays());
            o.put("SizeBytes", a.sizeBytes());
            o.put("EventCount", a.eventCount());
            o.set("CreationTime", Json.timestamp(a.created()));
        }
        Json.putIfPresent(out, "NextToken", page.nextToken());
        return out;
    }

    private JsonNode deleteArchive(Shape in) {
        String name = archiveName(in);
        in.validate();
        busbar.deleteArchive(name);
        return Json.object();
    }

    // ---------------------------------------------------------------- replays

    private static String replayName(Shape in) {
        return in.required("ReplayName", 1, 64, Models.NAME);
    }

    private static Instant requiredTime(Shape in, String member) {
        Instant t = in.timestamp(member);
        if (t == null) {
            in.missing(member);
        }
        return t;
    }

    private JsonNode startReplay(Shape in) {
        String name = replayName(in);
        String description = in.string("Description", 0, 512, null);
        String source = in.required("EventSourceArn", 1, 1600, Models.ARN);
        Instant start = requiredTime(in, "EventStartTime");
        Instant end = requiredTime(in, "EventEndTime");
        Shape d = in.object("Destination");
        String destinationArn = null;
        List<String> filters = null;
        if (d == null) {
            in.missing("Destination");
        } else {
            destinationArn = d.required("Arn", 1, 1600, Models.ARN);
            filters = d.strings("FilterArns");
            if (filters != null) {
                for (String f : filters) {
                    if (f.isEmpty() || f.length() > 1600 || !Models.ARN.matcher(f).matches()) {
                        d.constraint("FilterArns", f, "Member must satisfy regular expression pattern: "
                                + Models.ARN.pattern());
                    }
                }
            }
        }
        in.validate();
        Replay r = busbar.startReplay(name, description, source, start, end,
                new ReplayDestination(destinationArn, filters));
        ObjectNode out = Json.object();
        out.put("ReplayArn", r.arn());
        out.put("State", r.state().name());
        Json.putIfPresent(out, "StateReason", r.stateReason());
        out.set("ReplayStartTime", Json.timestamp(r.replayStartTime()));
        return out;
    }

    private JsonNode describeReplay(Shape in) {
        String name = replayName(in);
        in.validate();
        Replay r = busbar.describeReplay(name);
        ObjectNode out = Json.object();
        out.put("ReplayName", r.name());
        out.put("ReplayArn", r.arn());
        Json.putIfPresent(out, "Description", r.description());
        out.put("State", r.state().name());
        Json.putIfPresent(out, "StateReason", r.stateReason());
        out.put("EventSourceArn", r.eventSourceArn());
        ObjectNode dest = out.putObject("Destination");
        dest.put("Arn", r.destination().arn());
        if (!r.destination().filterArns().isEmpty()) {
            ArrayNode f = dest.putArray("FilterArns");
            r.destination().filterArns().forEach(f::add);
        }
        times(out, r);
        return out;
    }

    /** The time members DescribeReplay and ListReplays share; the unset ones are left out. */
    private static void times(ObjectNode out, Replay r) {
        out.set("EventStartTime", Json.timestamp(r.eventStartTime()));
        out.set("EventEndTime", Json.timestamp(r.eventEndTime()));
        if (r.eventLastReplayedTime() != null) {
            out.set("EventLastReplayedTime", Json.timestamp(r.eventLastReplayedTime()));
        }
        out.set("ReplayStartTime", Json.timestamp(r.replayStartTime()));
        if (r.replayEndTime() != null) {
            out.set("ReplayEndTime", Json.timestamp(r.replayEndTime()));
        }
    }

    private JsonNode listReplays(Shape in) {
        String prefix = in.string("NamePrefix", 1, 64, Models.NAME);
        String state = in.enumValue("State", false, Models.REPLAY_STATES);
        String source = in.string("EventSourceArn", 1, 1600, Models.ARN);
        Integer limit = Models.limit(in);
        String token = Models.nextToken(in);
        in.validate();
        Page<Replay> page = busbar.listReplays(prefix, state == null ? null : ReplayState.valueOf(state), source,
                limit, token);
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("Replays");
        for (Replay r : page.items()) {
            ObjectNode o = list.addObject();
            o.put("ReplayName", r.name());
            o.put("EventSourceArn", r.eventSourceArn());
            o.put("State", r.state().name());
            Json.putIfPresent(o, "StateReason", r.stateReason());
            times(o, r);
        }
        Json.putIfPresent(out, "NextToken", page.nextToken());
        return out;
    }

    private JsonNode cancelReplay(Shape in) {
        String name = replayName(in);
        in.validate();
        Replay r = busbar.cancelReplay(name);
        ObjectNode out = Json.object();
        out.put("ReplayArn", r.arn());
        out.put("State", r.state().name());
        Json.putIfPresent(out, "StateReason", r.stateReason());
        return out;
    }
}
