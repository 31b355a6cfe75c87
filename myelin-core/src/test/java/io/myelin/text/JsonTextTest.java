package io.myelin.text;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.error.MyelinException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class JsonTextTest {
    private static void ok(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        assertThatCode(() -> JsonText.require(b, b.length, "body", "body")).as(json).doesNotThrowAnyException();
    }

    private static void bad(byte[] b, String... expected) {
        var assertion = assertThatThrownBy(() -> JsonText.require(b, b.length, "request body", "body"))
                .as(HexFormat.of().formatHex(b)).isInstanceOf(MyelinException.class);
        for (String e : expected) {
            assertion.hasMessageContaining(e);
        }
    }

    private static void bad(String json, String... expected) {
        bad(json.getBytes(StandardCharsets.UTF_8), expected);
    }

    @Test
    void validTextPasses() {
        ok("{}");
        ok("{\"a\":\"plain\",\"b\":[1,2.5e3,true,null]}");
        ok(" \t\r\n{ \"k\" : \"v\" }\n");
        ok("{\"emoji\":\"😀\",\"escaped\":\"\\ud83d\\ude00\",\"upper\":\"\\uD83D\\uDE00\"}");
        ok("{\"nul\":\"\\u0000\",\"del\":\"\u007f\",\"all\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}");
        ok("{\"bmp\":\"\\uffff\\ue000\\ud7ff é \u0800\"}");
        ok("{\"escaped backslash then u\":\"\\\\ud800\"}");
        ok("{\"two escaped backslashes\":\"\\\\\\\\\"}");
    }

    @Test
    void unpairedSurrogateEscapesAreRefusedAtTheirOffset() {
        bad("{\"a\":\"\\ud800\"}", "unpaired surrogate escape \\ud800 at byte offset 6");
        bad("{\"a\":\"lone:\\ud800 end\"}", "\\ud800 at byte offset 11");
        bad("{\"a\":\"\\udc00\"}", "\\udc00 at byte offset 6");
        bad("{\"a\":\"\\ud83d\\u0041\"}", "\\ud83d at byte offset 6");
        bad("{\"a\":\"\\ud83d\\ud83d\\ude00\"}", "\\ud83d at byte offset 6");
        bad("{\"a\":\"\\ud83d\\n\"}", "\\ud83d");
        bad("{\"a\":\"\\ud83dé\"}", "\\ud83d");
        bad("{\"a\":\"\\ud83d", "\\ud83d");
        bad("{\"\\udfff\":1}", "\\udfff at byte offset 2");
        // an escaped backslash, then a real escape
        bad("{\"a\":\"\\\\\\ud800\"}", "\\ud800 at byte offset 8");
    }

    @Test
    void malformedUtf8IsRefusedWithItsClassAndOffset() {
        byte[] prefix = "{\"payload\":\"".getBytes(StandardCharsets.US_ASCII);
        String[][] cases = {{"c0af", "overlong"}, {"e080af", "overlong"}, {"f08080af", "overlong"},
                {"f4908080", "above U+10FFFF"}, {"c080", "overlong"}, {"c1bf", "overlong"}, {"eda080", "surrogate"},
                {"80", "continuation"}, {"e282", "truncated"}, {"ff", "never occurs"}};
        for (String[] c : cases) {
            byte[] body = concat(prefix, HexFormat.of().parseHex(c[0]), "\"}".getBytes(StandardCharsets.US_ASCII));
            bad(body, "not valid UTF-8", c[1], "at byte offset " + prefix.length);
        }
        bad(HexFormat.of().parseHex("7bc0af7d"), "overlong", "byte offset 1"); // outside a string too
    }

    @Test
    void rawControlCharactersBomAndBadEscapesAreRefused() {
        bad("{\"a\":\"x\u0000\"}", "raw control character 0x00 at byte offset 7");
        bad("{\"a\":\"tab\there\"}", "raw control character 0x09");
        bad("{\"a\":1}\u0000", "0x00 at byte offset 7");
        bad("\u0000{\u0000}\u0000", "0x00 at byte offset 0");
        bad(HexFormat.of().parseHex("efbbbf7b7d"), "byte order mark");
        bad(HexFormat.of().parseHex("feff007b007d"), "not valid UTF-8");
        bad("{\"a\":\"\\x41\"}", "invalid escape \\x at byte offset 6");
        bad("{\"a\":\"\\u12\"}", "four hex digits");
        bad("{\"a\":\"\\", "ends inside an escape");
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
