package org.rigdesk.daemon.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rigdesk.api.wire.JobRequest;

/** Request bodies are read strictly, and a refusal names the field in the API's words. */
class JsonBodiesTest {

    private static String refusal(String body) {
        ApiException e = assertThrows(ApiException.class,
                () -> JsonBodies.read(body.getBytes(StandardCharsets.UTF_8), JobRequest.class), body);
        assertEquals(400, e.problem().status());
        String detail = e.problem().detail();
        assertFalse(detail.contains("org.rigdesk") || detail.contains("java.lang") || detail.contains("Jackson")
                || detail.contains("CoercionConfig"), "no Java names in: " + detail);
        return detail;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"script\":\"true\",\"cpus\":1.5}                 | cpus must be a whole number, got 1.5",
        "{\"script\":\"true\",\"cpus\":\"2\"}               | cpus must be a whole number, got text '2'",
        "{\"script\":\"true\",\"cpus\":true}                | cpus must be a whole number, got true",
        "{\"script\":42}                                    | script must be text, got 42",
        "{\"script\":[\"ls\"]}                              | script must be text, got an array",
        "{\"script\":\"true\",\"env\":{\"A\":1}}            | env.A must be text, got 1",
        "{\"script\":\"true\",\"env\":[]}                   | env must be an object, got an array",
        "{\"script\":\"true\",\"cpus\":1e400}               | cpus must be a whole number, got 1E+400",
        "{\"script\":\"true\",\"cpus\":99999999999}         | cpus is out of range, got 99999999999",
        "{\"script\":\"true\",\"script\":\"false\"}         | Duplicate field 'script'",
        "{\"script\":\"true\"} {\"script\":\"x\"}           | the body must be one JSON value; more follows it at line 1",
        "{\"script\":\"true\",}                             | malformed JSON at line 1, column 18",
        "[1,2]                                              | the JSON body must be an object, got an array",
        "\"text\"                                           | the JSON body must be an object, got text 'text'",
        "null                                               | the JSON body must be an object, not null",
        "{\"script\":\"\\ud800\"}                           | script must be Unicode text: an unpaired surrogate \\ud800",
        "{\"script\":\"true\",\"env\":{\"A\":\"x\\udc00y\"}} | env.A must be Unicode text",
    })
    void refusesAndSaysWhat(String body, String expected) {
        String detail = refusal(body.strip());
        assertTrue(detail.contains(expected.strip()), body + " -> " + detail);
    }

    @Test
    void anUnknownFieldIsNamedWithTheFieldsThereAre() {
        String detail = refusal("{\"script\":\"true\",\"cpu\":2}");
        assertEquals("unknown field 'cpu'; the fields are: cache, cacheWrite, cpus, env, gpus, memoryMiB, name, network, script, secrets, "
                + "timeoutSeconds, tty", detail);
    }

    @Test
    void deepNestingIsRefused() {
        String detail = refusal("{\"script\":\"true\",\"gpus\":" + "[".repeat(40) + "]".repeat(40) + "}");
        assertTrue(detail.contains("nesting depth"), detail);
    }

    @Test
    void pairedSurrogatesAndOrdinaryTextPass() {
        JobRequest request = JsonBodies.read("{\"script\":\"echo \\ud83d\\ude80 ok\",\"cpus\":2}"
                .getBytes(StandardCharsets.UTF_8), JobRequest.class);
        assertEquals("echo \uD83D\uDE80 ok", request.script());
        assertEquals(2, request.cpus());
    }
}
