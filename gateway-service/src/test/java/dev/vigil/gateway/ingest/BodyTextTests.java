package dev.vigil.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** One decoding for every body: BOM, declared charset, UTF-16 by its look, UTF-8, else windows-1252. */
class BodyTextTests {

    static final String LOG = "Sicherung gestartet\nÉchec: accès refusé à «D:\\Données» – 100 %\n";

    private static byte[] bytes(String text, String charset, boolean bom) {
        byte[] body = text.getBytes(Charset.forName(charset));
        byte[] mark = switch (charset) {
            case "UTF-8" -> new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
            case "UTF-16LE" -> new byte[] {(byte) 0xFF, (byte) 0xFE};
            case "UTF-16BE" -> new byte[] {(byte) 0xFE, (byte) 0xFF};
            default -> new byte[0];
        };
        if (!bom) {
            return body;
        }
        byte[] all = new byte[mark.length + body.length];
        System.arraycopy(mark, 0, all, 0, mark.length);
        System.arraycopy(body, 0, all, mark.length, body.length);
        return all;
    }

    @ParameterizedTest(name = "{0} bom={1} declared={2}")
    @CsvSource(nullValues = "none", value = {
            "UTF-8, false, none", "UTF-8, true, none", "UTF-8, false, text/plain; charset=utf-8",
            "UTF-16LE, true, none", "UTF-16BE, true, none", "UTF-16LE, true, text/plain; charset=utf-16",
            "UTF-16LE, false, none", "UTF-16BE, false, none", "UTF-16LE, false, text/plain; charset=utf-16le",
            "windows-1252, false, text/plain; charset=windows-1252", "windows-1252, false, none",
            "ISO-8859-1, false, text/plain; charset=ISO-8859-1", "ISO-8859-1, false, none",
            "ISO-8859-1, false, application/x-www-form-urlencoded",
            "UTF-8, false, application/x-www-form-urlencoded", "UTF-8, false, application/octet-stream",
            "UTF-8, false, text/plain; charset=nonsense-42",
    })
    void everyEncodingAClientSendsReadsAsItsSenderMeantIt(String charset, boolean bom, String contentType) {
        String log = charset.equals("ISO-8859-1") ? LOG.replace('–', '-') : LOG; // Latin-1 has no en dash
        BodyText.Decoded decoded = BodyText.decode(bytes(log, charset, bom), contentType);
        assertThat(decoded.text()).isEqualTo(log);
        assertThat(decoded.text()).doesNotContain("\u0000", "\uFFFD");
    }

    @Test
    void aLongLogKeepsItsHeadAndItsTailWithTheLastErrorLine() {
        StringBuilder log = new StringBuilder("borg create: starting\n");
        while (log.length() < 300_000) {
            log.append("file ").append(log.length()).append(" ok ü\n");
        }
        log.append("Error: Repository /mnt/backup does not exist.\nterminating with error status, rc 2\n");
        BodyText.Raw raw = BodyText.read(new ByteArrayInputStream(log.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(raw.cut()).isTrue();
        BodyText.Decoded decoded = BodyText.decode(raw, "text/plain");
        assertThat(decoded.text()).startsWith("borg create: starting\n")
                .endsWith("terminating with error status, rc 2\n").contains("bytes left out")
                .doesNotContain("\uFFFD");
        assertThat(BodyText.reason(decoded.text(), 200)).isEqualTo("terminating with error status, rc 2");
    }

    @Test
    void theReasonIsTheLastLineThatNamesAnErrorAsOneCleanLine() {
        assertThat(BodyText.reason("a\nERROR: disk full\nsummary: 3 files\n\n", 100)).isEqualTo("ERROR: disk full");
        assertThat(BodyText.reason("all\nquiet\n", 100)).isEqualTo("quiet");
        assertThat(BodyText.reason("x\u0000 failed\u001b[31m red \u202e", 100)).isEqualTo("x failed [31m red");
        assertThat(BodyText.reason("", 100)).isNull();
    }

    @Test
    void aLogCutInsideAMultiByteCharacterLosesOnlyThatCharacter() {
        String text = "é".repeat(70_000); // 140 kB of two-byte characters: the cut falls inside one
        BodyText.Raw raw = BodyText.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        BodyText.Decoded decoded = BodyText.decode(raw, null);
        assertThat(decoded.how()).isEqualTo("utf-8");
        assertThat(decoded.text()).doesNotContain("\uFFFD").startsWith("éé").endsWith("éé");
    }
}
