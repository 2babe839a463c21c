package io.busbar.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.BusbarException;
import io.busbar.core.DeadLetterConfig;
import io.busbar.core.InputTransformer;
import io.busbar.core.RetryPolicy;
import io.busbar.core.Target;
import io.busbar.core.TargetInput;
import io.busbar.core.TargetValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * PutTargets' {@code Target} structure to {@link Target} and back (spec 5.1). {@code Input}, {@code InputPath} and
 * {@code InputTransformer} become the target's {@link TargetInput}; the target-family members
 * ({@code HttpParameters}, {@code SqsParameters}, ...) are kept as JSON text in {@link Target#parameters()}, keyed by
 * member name, for the target providers to read, and are echoed by ListTargetsByRule.
 */
final class TargetMapping {
    static final List<String> PARAMETER_MEMBERS = List.of("KinesisParameters", "RunCommandParameters",
            "EcsParameters", "BatchParameters", "SqsParameters", "HttpParameters", "RedshiftDataParameters",
            "SageMakerPipelineParameters", "AppSyncParameters");
    private static final List<String> MEMBERS;

    static {
        List<String> m = new ArrayList<>(List.of("Id", "Arn", "RoleArn", "Input", "InputPath", "InputTransformer",
                "RetryPolicy", "DeadLetterConfig"));
        m.addAll(PARAMETER_MEMBERS);
        MEMBERS = List.copyOf(m);
    }

    private TargetMapping() {
    }

    /**
     * Reads a target's members and checks the model's constraints. The target itself is built by the supplier,
     * called after {@link Shape#validate()}: it throws {@code ValidationException} (in a configuration file, a
     * {@link ConfigException}) for what only the bus can judge, such as an input template's placeholders.
     */
    static Supplier<Target> read(Shape t) {
        t.onlyMembers(MEMBERS);
        String id = t.required("Id", 1, 64, Models.NAME);
        String arn = t.required("Arn", 1, 1600, null);
        String roleArn = t.string("RoleArn", 1, 1600, null);
        String input = t.jsonText("Input");
        if (input != null && input.length() > 8192) {
            t.constraint("Input", input, "Member must have length less than or equal to 8192");
        }
        String inputPath = t.string("InputPath", 0, 256, null);
        Shape transformer = t.object("InputTransformer");
        Map<String, String> paths = null;
        String template = null;
        if (transformer != null) {
            transformer.onlyMembers(List.of("InputPathsMap", "InputTemplate"));
            paths = transformer.stringMap("InputPathsMap");
            template = transformer.required("InputTemplate", 1, 8192, null);
        }
        Shape retry = t.object("RetryPolicy");
        Integer attempts = null;
        Integer age = null;
        if (retry != null) {
            retry.onlyMembers(List.of("MaximumRetryAttempts", "MaximumEventAgeInSeconds"));
            attempts = retry.integer("MaximumRetryAttempts", 0, 185);
            age = retry.integer("MaximumEventAgeInSeconds", 60, 86_400);
        }
        Shape dlq = t.object("DeadLetterConfig");
        String dlqArn = null;
        if (dlq != null) {
            dlq.onlyMembers(List.of("Arn"));
            dlqArn = dlq.string("Arn", 1, 1600, null);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String member : PARAMETER_MEMBERS) {
            JsonNode block = t.raw(member);
            if (block != null) {
                if (!block.isObject()) {
                    t.object(member); // reports the type error
                }
                parameters.put(member, Json.compact(t.isConfig() ? apiCase((ObjectNode) block) : block));
            }
        }
        boolean hasTransformer = transformer != null;
        Map<String, String> finalPaths = paths;
        String finalTemplate = template;
        Integer finalAttempts = attempts;
        Integer finalAge = age;
        String finalDlq = dlqArn;
        return () -> {
            try {
                InputTransformer it = hasTransformer ? InputTransformer.forTarget(id, finalPaths, finalTemplate) : null;
                TargetInput targetInput = TargetInput.of(id, input, inputPath, it);
                RetryPolicy policy = finalAttempts == null && finalAge == null ? null
                        : new RetryPolicy(finalAttempts == null ? RetryPolicy.DEFAULT.maximumRetryAttempts() : finalAttempts,
                        finalAge == null ? RetryPolicy.DEFAULT.maximumEventAgeInSeconds() : finalAge);
                return new Target(id, arn, roleArn, targetInput, policy,
                        finalDlq == null ? null : new DeadLetterConfig(finalDlq), parameters);
            } catch (TargetValidationException e) {
                throw t.problem(null, ApiException.validation(e.getMessage()));
            } catch (BusbarException e) {
                throw t.problem(null, e);
            }
        };
    }

    /** A configuration file may spell a block's own members in lowerCamel; the API form capitalises them. */
    private static ObjectNode apiCase(ObjectNode block) {
        ObjectNode out = Json.object();
        for (Map.Entry<String, JsonNode> e : block.properties()) {
            String k = e.getKey();
            out.set(k.isEmpty() ? k : Character.toUpperCase(k.charAt(0)) + k.substring(1), e.getValue());
        }
        return out;
    }

    /** The target as ListTargetsByRule shows it: members that were not set are left out. */
    static ObjectNode write(Target target) {
        ObjectNode o = Json.object();
        o.put("Id", target.id());
        o.put("Arn", target.arn());
        Json.putIfPresent(o, "RoleArn", target.roleArn());
        TargetInput input = target.input();
        if (input instanceof TargetInput.Constant c) {
            o.put("Input", c.input());
        } else if (input instanceof TargetInput.Path p) {
            o.put("InputPath", p.inputPath());
        } else if (input instanceof TargetInput.Transformed t) {
            ObjectNode tr = o.putObject("InputTransformer");
            if (!t.transformer().inputPathsMap().isEmpty()) {
                ObjectNode paths = tr.putObject("InputPathsMap");
                t.transformer().inputPathsMap().forEach(paths::put);
            }
            tr.put("InputTemplate", t.transformer().inputTemplate());
        }
        for (String member : PARAMETER_MEMBERS) {
            String json = target.parameters().get(member);
            if (json != null) {
                try {
                    o.set(member, Json.MAPPER.readTree(json));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(member + " of target " + target.id() + " is not JSON", e);
                }
            }
        }
        // Busbar fills in EventBridge's default policy; AWS lists a RetryPolicy only when one was put.
        if (!RetryPolicy.DEFAULT.equals(target.retryPolicy())) {
            ObjectNode rp = o.putObject("RetryPolicy");
            rp.put("MaximumRetryAttempts", target.retryPolicy().maximumRetryAttempts());
            rp.put("MaximumEventAgeInSeconds", target.retryPolicy().maximumEventAgeInSeconds());
        }
        if (target.deadLetterConfig() != null) {
            o.putObject("DeadLetterConfig").put("Arn", target.deadLetterConfig().arn());
        }
        return o;
    }
}
