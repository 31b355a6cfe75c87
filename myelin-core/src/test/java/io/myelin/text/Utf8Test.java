package io.myelin.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class Utf8Test {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyScalarValueIsWellFormed() {
        for (int cp = 0; cp <= 0x10ffff; cp++) {
            if (cp >= 0xd800 && cp <= 0xdfff) {
                continue;
            }
            byte[] b = Character.toString(cp).getBytes(StandardCharsets.UTF_8);
            assertThat(Utf8.firstMalformed(b, 0, b.length)).as("U+%04X", cp).isNull();
        }
    }

    @Test
    void eachMalformationClassIsNamedAtItsOffset() {
        String[][] cases = {
                {"c0af", "overlong"}, {"e080af", "overlong"}, {"f08080af", "overlong"}, {"c080", "overlong"},
                {"c1bf", "overlong"}, {"e09fbf", "overlong"}, {"f08fbfbf", "overlong"},
                {"eda080", "surrogate"}, {"edbfbf", "surrogate"},
                {"f4908080", "above U+10FFFF"}, {"f5808080", "above U+10FFFF"}, {"f7bfbfbf", "above U+10FFFF"},
                {"f8", "never occurs"}, {"fe", "never occurs"}, {"ff", "never occurs"},
                {"80", "continuation"}, {"bf", "continuation"},
                {"c2", "truncated"}, {"e282", "truncated"}, {"f09f98", "truncated"}, {"e228a1", "truncated"},
                {"c241", "truncated"}, {"f0 9f 41 80".replace(" ", ""), "truncated"}};
        for (String[] c : cases) {
            byte[] b = HEX.parseHex("4142" + c[0] + "43");
            Utf8.Malformed m = Utf8.firstMalformed(b, 0, b.length);
            assertThat(m).as(c[0]).isNotNull();
            assertThat(m.offset()).as(c[0]).isEqualTo(2);
            assertThat(m.problem()).as(c[0]).contains(c[1]);
        }
    }

    /** The JDK's decoder with REPORT is strict RFC 3629: both must agree on every input. */
    @Test
    void agreesWithTheJdkStrictDecoder() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                check(new byte[] {(byte) a, (byte) b});
            }
        }
        Random rnd = new Random(3629);
        byte[] interesting = HEX.parseHex("00417f80898f909fa0afbfc0c1c2dfe0e1eceded eef0f1f3f4f5f7f8fcfeff".replace(" ", ""));
        for (int i = 0; i < 400_000; i++) {
            byte[] b = new byte[1 + rnd.nextInt(5)];
            for (int k = 0; k < b.length; k++) {
                b[k] = rnd.nextInt(4) == 0 ? (byte) rnd.nextInt(256) : interesting[rnd.nextInt(interesting.length)];
            }
            check(b);
        }
    }

    private static void check(byte[] b) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        boolean jdk;
        try {
            strict.decode(ByteBuffer.wrap(b));
            jdk = true;
        } catch (CharacterCodingException e) {
            jdk = false;
        }
        assertThat(Utf8.firstMalformed(b, 0, b.length) == null).as(HEX.formatHex(b)).isEqualTo(jdk);
    }

    @Test
    void checkedLengthIsTheEncodedLength() {
        for (String s : new String[] {"", "ascii", "\u0000", "é", "\u07ff\u0800", "\uffff", "😀", "a😀b\u10ffé"}) {
            assertThat(Utf8.checkedLength(s, "f")).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void checkedLengthRefusesUnpairedSurrogates() {
        for (String s : new String[] {"a\ud800b", "\udc00", "x\ud800", "\ud800\ud800", "\ude00\ud83d", "😀\udfff"}) {
            assertThatThrownBy(() -> Utf8.checkedLength(s, "payload")).as(s)
                    .isInstanceOfSatisfying(MyelinException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
                        assertThat(e.field()).isEqualTo("payload");
                        assertThat(e.getMessage()).contains("unpaired UTF-16 surrogate");
                    });
        }
    }
}
