package io.busbar.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the access keys the server accepts (its {@code --auth} file): secret access key by access key id, either
 * as a JSON or YAML map ({@code AKIDEXAMPLE: wJalrXUtnFEMI...}) or in the AWS shared-credentials format
 * ({@code [profile]} sections with {@code aws_access_key_id} and {@code aws_secret_access_key}).
 */
final class Credentials {
    private Credentials() {
    }

    /** @throws IllegalArgumentException naming the file and the problem */
    static Map<String, String> load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the credentials file (" + e.getMessage() + ")", e);
        }
        Map<String, String> keys = text.contains("aws_access_key_id") ? ini(file, text) : map(file, text);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(file + ": no credentials (expected: access key id: secret access key)");
        }
        return keys;
    }

    private static Map<String, String> map(Path file, String text) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a map of access key id to secret (" + e.getMessage()
                    + ")", e);
        }
        Map<String, String> keys = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return keys;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a map of access key id to secret access key");
        }
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!e.getValue().isValueNode() || e.getValue().asText().isEmpty()) {
                throw new IllegalArgumentException(file + ": " + e.getKey() + ": expected a secret access key");
            }
            keys.put(e.getKey(), e.getValue().asText());
        }
        return keys;
    }

    private static Map<String, String> ini(Path file, String text) {
        Map<String, String> keys = new LinkedHashMap<>();
        String id = null;
        String secret = null;
        int lineNo = 0;
        for (String raw : (text + "\n[]").split("\\R")) {
            lineNo++;
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (id != null || secret != null) {
                    if (id == null || secret == null) {
                        throw new IllegalArgumentException(file + ":" + (lineNo - 1)
                                + ": a profile needs both aws_access_key_id and aws_secret_access_key");
                    }
                    keys.put(id, secret);
                }
                id = null;
                secret = null;
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": expected key = value");
            }
            String k = line.substring(0, eq).trim();
            String v = line.substring(eq + 1).trim();
            if (k.equals("aws_access_key_id")) {
                id = v;
            } else if (k.equals("aws_secret_access_key")) {
                secret = v;
            }
        }
        return keys;
    }
}
