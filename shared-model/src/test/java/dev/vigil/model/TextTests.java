package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names and lines made of whatever a backup product sent. */
class TextTests {

    @Test
    void aLoneSurrogateBecomesTheReplacementCharacterAndPairsStay() {
        String pair = "\uD83D\uDCBE"; // a floppy disk, one code point in two chars
        String ok = "disk " + pair;
        assertThat(Text.wellFormed(ok)).isSameAs(ok);
        assertThat(Text.wellFormed("a\uD800b")).isEqualTo("a\uFFFDb");
        assertThat(Text.wellFormed("\uDC00" + pair + "\uD800")).isEqualTo("\uFFFD" + pair + "\uFFFD");
        assertThat(Text.wellFormed(pair.substring(0, 1))).isEqualTo("\uFFFD");
        assertThat(Text.wellFormed(null)).isNull();
        String written = Text.name("job \uD800", 100);
        assertThat(new String(written.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.UTF_8)).as("the same once written as UTF-8").isEqualTo(written);
    }

    @Test
    void aNameLosesControlAndInvisibleCharactersAndKeepsEverythingElse() {
        assertThat(Text.name("Daily/My Computer/Mac HD", 512)).isEqualTo("Daily/My Computer/Mac HD");
        assertThat(Text.name("two  spaces ü 日本語 🙂 <b>&amp;", 512)).isEqualTo("two  spaces ü 日本語 🙂 <b>&amp;");
        assertThat(Text.name("a\u0000b\u0007c\r\nd\u202Ee\u2066f\u200Bg\uFEFFh\u2028i\u007Fj\u0085k", 512))
                .isEqualTo("a b c  d e f g h i j k");
        assertThat(Text.name(null, 512)).isNull();
    }

    @Test
    void aNameOfInvisibleCharactersOnlySaysSoAndStaysItsOwn() {
        String one = Text.name("\u200B\u200B\u202E", 512);
        String other = Text.name("\u200B\u200C\u200D", 512);
        assertThat(one).startsWith("(invisible name)#").hasSize("(invisible name)#".length() + 12);
        assertThat(other).startsWith("(invisible name)#").isNotEqualTo(one);
        assertThat(Text.name("\u200B\u200B\u202E", 512)).isEqualTo(one);
        assertThat(Text.name("", 512)).isEmpty();
        assertThat(Text.name("\u200BVM1", 512)).isEqualTo(" VM1");
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 513, 1_000, 5_400, 100_000})
    void aLongNameIsCutToTheLimitWithADigestOfTheWhole(int length) {
        String name = "VM-".repeat(length / 3 + 1).substring(0, length);
        String fit = Text.name(name, 512);
        assertThat(fit).hasSizeLessThanOrEqualTo(512);
        if (length <= 512) {
            assertThat(fit).isEqualTo(name);
        } else {
            assertThat(fit).startsWith("VM-VM-").containsPattern("…#[0-9a-f]{12}$");
            assertThat(Text.name(name, 512)).as("always the same").isEqualTo(fit);
            assertThat(Text.name(name.substring(0, length - 1) + "X", 512)).as("a change at the end is another name")
                    .isNotEqualTo(fit);
        }
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String emoji = "🙂".repeat(300); // 600 chars
        String fit = Text.name(emoji, 512);
        String head = fit.substring(0, fit.indexOf('…'));
        assertThat(head.length() % 2).isZero();
        assertThat(Character.isHighSurrogate(head.charAt(head.length() - 1))).isFalse();
    }

    @Test
    void aJobKeyIsBoundedPartByPart() {
        JobKey plain = new JobKey("acme", "3723707", "nightly");
        assertThat(plain.bounded()).isSameAs(plain);
        JobKey hostile = new JobKey("acme", "3723707", "x".repeat(600) + "\n");
        assertThat(hostile.bounded().job()).hasSize(512).doesNotContain("\n");
        assertThat(hostile.bounded().bounded()).isEqualTo(hostile.bounded());
    }

    /** A text that is one line already is returned as it is, and every text gets what the full cleaning gives. */
    @Test
    void theShortcutForTextsThatAreOneLineChangesNoResult() {
        String alphabet = "ab Z9 \t\n\r\u0000\u007f\u0085\u00a0\u200b\u202e\u2028\u2029\u3000\ud83d\ude42é…";
        java.util.SplittableRandom random = new java.util.SplittableRandom(17);
        for (int n = 0; n < 200_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(12); k > 0; k--) {
                text.append(random.nextInt(3) == 0 ? alphabet.charAt(random.nextInt(alphabet.length()))
                        : alphabet.charAt(random.nextInt(5)));
            }
            int limit = 1 + random.nextInt(14);
            String input = text.toString();
            assertThat(Text.line(input, limit)).as("%s / %d", input, limit).isEqualTo(Text.line(input, limit, false));
        }
        String plain = "Backup failed: snapshot creation failed for ERP01";
        assertThat(Text.line(plain, 200)).isSameAs(plain);
    }
}
