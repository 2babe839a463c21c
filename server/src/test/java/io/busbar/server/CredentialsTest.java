package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void readsAYamlOrJsonMap() throws IOException {
        assertEquals(Map.of("AKID1", "s1", "AKID2", "s2"), Credentials.load(file("c.yaml", "AKID1: s1\nAKID2: s2\n")));
        assertEquals(Map.of("AKID1", "s1"), Credentials.load(file("c.json", "{\"AKID1\": \"s1\"}")));
    }

    @Test
    void readsAnAwsSharedCredentialsFile() throws IOException {
        Path f = file("credentials", """
                # local keys
                [default]
                aws_access_key_id = AKID1
                aws_secret_access_key = s1

                [other]
                aws_access_key_id=AKID2
                aws_secret_access_key=s2
                region = eu-west-1
                """);
        assertEquals(Map.of("AKID1", "s1", "AKID2", "s2"), Credentials.load(f));
    }

    @Test
    void refusesEmptyOrMalformedFiles() throws IOException {
        Path empty = file("empty.yaml", "");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Credentials.load(empty)).getMessage()
                .contains("no credentials"));
        Path list = file("list.yaml", "- a\n- b\n");
        assertThrows(IllegalArgumentException.class, () -> Credentials.load(list));
        Path half = file("half", "[p]\naws_access_key_id = A\n");
        assertThrows(IllegalArgumentException.class, () -> Credentials.load(half));
        assertThrows(IllegalArgumentException.class, () -> Credentials.load(dir.resolve("missing")));
    }
}
