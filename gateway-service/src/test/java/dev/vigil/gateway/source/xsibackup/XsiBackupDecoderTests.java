package dev.vigil.gateway.source.xsibackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Vectors X1–X7 of the source spec (§4), plus the quirks of §2.5. */
class XsiBackupDecoderTests {

    static final String X2_CMD = "--backup-point=/vmfs/volumes/backup --backup-type=custom --backup-vms=WIN7,ERP01 "
            + "--on-error=\"http://foo.com/xsibackup_onerror.php|OK\"";
    static final String X2_INNER = "PID=123456|t=845|cmd=" + b64(X2_CMD) + "|err=" + b64("ERP01: snapshot creation failed\nWIN7: 0 errors");
    static final String X2_QUERY = b64(X2_INNER);

    /** An extra field whose value is base64 of a secret keeps no secret in the raw input kept. */
    @Test
    void anExtraFieldHidingASecretInBase64IsMaskedInTheKeptQuery() {
        Base64.Encoder b64 = Base64.getEncoder();
        String query = b64.encodeToString(("PID=504|t=1|cmd=" + b64.encodeToString("--backup-vms=SECJOB3".getBytes(StandardCharsets.UTF_8))
                + "|note=" + b64.encodeToString("password=NotePw45".getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8));
        String kept = new String(Base64.getDecoder().decode(XsiBackupDecoder.maskedQuery(query,
                new dev.vigil.gateway.ingest.SecretMasker(java.util.List.of()))), StandardCharsets.UTF_8);
        String note = kept.substring(kept.indexOf("note=") + 5);
        assertThat(new String(Base64.getDecoder().decode(note), StandardCharsets.UTF_8)).isEqualTo("password=***");
        assertThat(kept).contains("PID=504");
    }

    @Test
    void x1SuccessWithPidDurationAndCommand() throws Exception {
        var payload = XsiBackupDecoder.decode("UElEPTQyNDJ8dD02MHxjbWQ9TFMxaVlXTnJkWEF0ZG0xelBXRnNiQT09");

        assertThat(payload.pid()).isEqualTo("4242");
        assertThat(payload.t()).isEqualTo("60");
        assertThat(payload.cmd()).isEqualTo("--backup-vms=all");
        assertThat(payload.err()).isNull();
    }

    @Test
    void x2TheWorkedExampleWithTwoErrorLines() throws Exception {
        assertThat(X2_QUERY).startsWith("UElEPTEyMzQ1Nnx0PTg0NXxjbWQ9TFMx").endsWith("dz09").hasSize(360);

        var payload = XsiBackupDecoder.decode(X2_QUERY);

        assertThat(payload.pid()).isEqualTo("123456");
        assertThat(payload.t()).isEqualTo("845");
        assertThat(payload.cmd()).isEqualTo(X2_CMD);
        assertThat(XsiBackupDecoder.errorLines(payload.err()))
                .containsExactly("ERP01: snapshot creation failed", "WIN7: 0 errors");
        assertThat(XsiBackupDecoder.option(payload.cmd(), "backup-vms")).isEqualTo("WIN7,ERP01");
    }

    @Test
    void x3EmptyErrIsEmptyNotNull() throws Exception {
        var payload = XsiBackupDecoder.decode("UElEPTd8dD0wfGNtZD1MUzFpWVdOcmRYQXRkbTF6UFZkSlRqYz18ZXJyPQ==");

        assertThat(payload.pid()).isEqualTo("7");
        assertThat(payload.err()).isEmpty();
        assertThat(payload.cmd()).isEqualTo("--backup-vms=WIN7");
    }

    @Test
    void x4StrippedPaddingGivesTheSameResultAsX3() throws Exception {
        assertThat(XsiBackupDecoder.decode("UElEPTd8dD0wfGNtZD1MUzFpWVdOcmRYQXRkbTF6UFZkSlRqYz18ZXJyPQ"))
                .isEqualTo(XsiBackupDecoder.decode("UElEPTd8dD0wfGNtZD1MUzFpWVdOcmRYQXRkbTF6UFZkSlRqYz18ZXJyPQ=="));
    }

    @Test
    void x5Utf8VmName() throws Exception {
        var payload = XsiBackupDecoder.decode("UElEPTl8dD0xMnxjbWQ9TFMxaVlXTnJkWEF0ZG0xelBVTER2SEp2TFVSRA==");

        assertThat(payload.cmd()).isEqualTo("--backup-vms=Büro-DC");
    }

    @Test
    void x5AsXsiBackupFreeEncodesItWithANulBeforeEveryNonAsciiByte() throws Exception {
        ByteArrayOutputStream cmd = new ByteArrayOutputStream();
        for (byte b : "--backup-vms=Büro-DC".getBytes(StandardCharsets.UTF_8)) {
            if ((b & 0xFF) >= 0x80) {
                cmd.write(0);
            }
            cmd.write(b);
        }
        String query = b64("PID=9|t=12|cmd=" + Base64.getEncoder().encodeToString(cmd.toByteArray()));

        assertThat(XsiBackupDecoder.decode(query).cmd()).isEqualTo("--backup-vms=Büro-DC");
    }

    @Test
    void latin1BytesThatAreNotUtf8FallBackToIso88591() throws Exception {
        String query = b64("PID=9|t=12|cmd=" + Base64.getEncoder()
                .encodeToString("--backup-vms=Büro".getBytes(StandardCharsets.ISO_8859_1)));

        assertThat(XsiBackupDecoder.decode(query).cmd()).isEqualTo("--backup-vms=Büro");
    }

    @Test
    void x6PlusTurnedIntoSpaceByAProxyAndAnUnknownKey() throws Exception {
        var payload = XsiBackupDecoder.decode("UElEPTF8dD0yfGVycj1lQT09fG5vdGU9YWE ");

        assertThat(payload.pid()).isEqualTo("1");
        assertThat(payload.t()).isEqualTo("2");
        assertThat(payload.err()).isEqualTo("x");
        assertThat(payload.extras()).containsEntry("note", "aa>");
    }

    @Test
    void x7NotBase64IsRefusedWithAReason() {
        assertThatThrownBy(() -> XsiBackupDecoder.decode("%%%notb64"))
                .isInstanceOf(XsiBackupDecoder.InvalidPayloadException.class)
                .hasMessageContaining("percent-escape");
        assertThatThrownBy(() -> XsiBackupDecoder.decode("this is not!base64"))
                .isInstanceOf(XsiBackupDecoder.InvalidPayloadException.class)
                .hasMessageContaining("not base64");
        assertThatThrownBy(() -> XsiBackupDecoder.decode(""))
                .isInstanceOf(XsiBackupDecoder.InvalidPayloadException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void wellFormedBase64ThatIsNotAnXsiBackupPayloadIsRefused() {
        assertThatThrownBy(() -> XsiBackupDecoder.decode(b64("hello world")))
                .isInstanceOf(XsiBackupDecoder.InvalidPayloadException.class)
                .hasMessageContaining("none of the XSIBackup fields");
    }

    @Test
    void percentEncodedLineWrappedUrlSafeAndWronglyPaddedQueriesDecode() throws Exception {
        String wrapped = X2_QUERY.substring(0, 64) + "\r\n" + X2_QUERY.substring(64);
        String percent = X2_QUERY.replace("=", "%3D").replace("+", "%2B").replace("/", "%2F");
        String urlSafe = X2_QUERY.replace('+', '-').replace('/', '_');
        String wrongPadding = X2_QUERY.replaceAll("=+$", "") + "===";

        var expected = XsiBackupDecoder.decode(X2_QUERY);
        assertThat(XsiBackupDecoder.decode(wrapped)).isEqualTo(expected);
        assertThat(XsiBackupDecoder.decode(percent)).isEqualTo(expected);
        assertThat(XsiBackupDecoder.decode(urlSafe)).isEqualTo(expected);
        assertThat(XsiBackupDecoder.decode(wrongPadding)).isEqualTo(expected);
    }

    @Test
    void duplicateKeysKeepTheLastValueAndAreFlagged() throws Exception {
        var payload = XsiBackupDecoder.decode(b64("PID=1|t=2|PID=3"));

        assertThat(payload.pid()).isEqualTo("3");
        assertThat(payload.duplicateKeys()).containsExactly("PID");
    }

    @Test
    void optionValuesRunToTheNextOptionNotTheNextBlank() {
        String cmd = "--backup-vms=WINDOWSVM1,LINUXVM2,New VM --backup-type=custom";

        assertThat(XsiBackupDecoder.option(cmd, "backup-vms")).isEqualTo("WINDOWSVM1,LINUXVM2,New VM");
        assertThat(XsiBackupDecoder.option(cmd, "backup-type")).isEqualTo("custom");
        assertThat(XsiBackupDecoder.option(cmd, "backup-point")).isNull();
    }

    @Test
    void generatedQueriesEitherDecodeOrAreRefusedWithAReason() {
        java.util.Random random = new java.util.Random(11);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_% \r\n|";
        for (int i = 0; i < 20_000; i++) {
            String query;
            if (random.nextBoolean()) {
                StringBuilder text = new StringBuilder();
                for (int k = random.nextInt(200); k > 0; k--) {
                    text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                query = text.toString();
            } else {
                byte[] bytes = new byte[random.nextInt(300)];
                random.nextBytes(bytes);
                query = Base64.getEncoder().encodeToString(bytes);
                query = query.substring(0, random.nextInt(query.length() + 1));
            }
            try {
                XsiBackupDecoder.decode(query);
            } catch (XsiBackupDecoder.InvalidPayloadException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (RuntimeException e) {
                throw new AssertionError("query " + query + " escaped as " + e, e);
            }
        }
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A payload refused because one part does not decode is still kept without its secrets: the parts that decode are
     * masked in their own encoding (the base64 of cmd held the SMTP password and Vigil's own token).
     */
    @Test
    void aRefusedPayloadIsKeptWithTheSecretsOfEveryPartThatDecodesMasked() {
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        String token = "xsi-token-for-tests-0001";
        String cmd = "--backup-vms=SECJOB1 --smtp-pwd=HUNTER2smtp --on-error=\"http://v/hooks/xsibackup/" + token
                + "/error|OK\"";
        String query = b64.encodeToString(("PID=1|t=845|cmd=" + b64.encodeToString(cmd.getBytes())
                + "|err=!!notbase64!! --smtp-pwd=PLAINpw|note").getBytes());
        org.junit.jupiter.api.Assertions.assertThrows(XsiBackupDecoder.InvalidPayloadException.class,
                () -> XsiBackupDecoder.decode(query));
        String kept = XsiBackupDecoder.maskedQuery(query,
                new dev.vigil.gateway.ingest.SecretMasker(java.util.List.of(token)));
        String inner = new String(java.util.Base64.getDecoder().decode(kept));
        String keptCmd = new String(java.util.Base64.getDecoder().decode(
                inner.substring(inner.indexOf("cmd=") + 4, inner.indexOf("|err="))));
        assertThat(keptCmd).contains("--backup-vms=SECJOB1", "--smtp-pwd=***").doesNotContain("HUNTER2smtp", token);
        assertThat(inner).startsWith("PID=1|t=845|cmd=").contains("|err=").doesNotContain("PLAINpw").endsWith("|note");
        assertThat(XsiBackupDecoder.maskedQuery("%%%not-base64 --smtp-pwd=Plain1",
                new dev.vigil.gateway.ingest.SecretMasker(java.util.List.of()))).doesNotContain("Plain1");

        // what cannot be decoded cannot be checked: junk after the base64, a stray character inside cmd's base64
        var masker = new dev.vigil.gateway.ingest.SecretMasker(java.util.List.of());
        String secretCmd = b64.encodeToString("--backup-vms=A --smtp-pwd=JunkSecret6 --smtp-server=s".getBytes());
        String junk = b64.encodeToString(("PID=6|t=1|cmd=" + secretCmd + "|err=@@").getBytes()) + "!!";
        assertThat(XsiBackupDecoder.maskedQuery(junk, masker)).isEqualTo("***");
        String broken = secretCmd.substring(0, 20) + "." + secretCmd.substring(20);
        String keptBroken = new String(java.util.Base64.getDecoder().decode(XsiBackupDecoder.maskedQuery(
                b64.encodeToString(("PID=7|t=1|cmd=" + broken).getBytes()), masker)));
        assertThat(keptBroken).isEqualTo("PID=7|t=1|cmd=***");
    }
}
