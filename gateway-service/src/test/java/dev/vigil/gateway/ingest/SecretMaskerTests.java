package dev.vigil.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every secret carrier a backup product sends is masked; text without one is left as it was. */
class SecretMaskerTests {

    static final String TOKEN = "xsi-token-for-tests-0001";
    private final SecretMasker masker = new SecretMasker(List.of(TOKEN, "5f3b6a8e-2f1c-4c11-9a55-0c6b3c1d7e42", ""));

    /** An attribute that is base64 as a whole hides its text from every pattern: it is decoded, masked, encoded again. */
    @Test
    void anAttributeThatIsBase64OfASecretIsMaskedInsideItsEncoding() {
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        java.util.Base64.Decoder decode = java.util.Base64.getDecoder();
        for (String secret : List.of("password=NotePw45", "mysql -pNotePw48 db", "curl -u admin:NotePw46 https://h/",
                "Authorization: Bearer abcdefghijklmnop0123")) {
            String encoded = b64.encodeToString(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String masked = masker.maskAttribute("note", encoded);
            String text = new String(decode.decode(masked), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(text).as(secret).contains(SecretMasker.MASK).doesNotContain("NotePw").doesNotContain("abcdefghijklmnop");
            String urlSafe = java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("?" + secret + "?>>").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(new String(java.util.Base64.getUrlDecoder().decode(masker.maskAttribute("note", urlSafe)),
                    java.nio.charset.StandardCharsets.UTF_8)).as(urlSafe).doesNotContain("NotePw");
        }
        // no secret, no text, no base64: as it came
        for (String kept : List.of(b64.encodeToString("a harmless note about VM01".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "d41d8cd98f00b204e9800998ecf8427e", "5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d", "aGVsbG8gd29ybGQ=",
                b64.encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}),
                "short", "not base64 at all, with spaces")) {
            assertThat(masker.maskAttribute("note", kept)).as(kept).isEqualTo(kept);
        }
    }

    /** Base64, JSON's code escapes and percent escapes hide a secret wherever they stand, not only as a whole value. */
    @Test
    void aSecretHiddenByAnEncodingIsMaskedWhereverItStands() {
        java.nio.charset.Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
        String b64 = java.util.Base64.getEncoder().encodeToString("password=EncPw01 for the NAS".getBytes(utf8));
        // inside a log line, in a raw JSON document (a CloudEvent's attributes, an error), in a form body
        for (String text : List.of("note: " + b64 + " (from the job)", "cfg=" + b64 + "&x=1")) {
            String masked = masker.mask(text);
            assertThat(masked).as(text).doesNotContain(b64);
            java.util.regex.Matcher run = java.util.regex.Pattern.compile("[A-Za-z0-9+/]{16,}=*").matcher(masked);
            assertThat(run.find()).isTrue();
            assertThat(new String(java.util.Base64.getDecoder().decode(run.group()), utf8))
                    .isEqualTo("password=*** for the NAS");
        }
        String raw = masker.maskRaw("{\"data\":{\"attributes\":{\"note\":\"" + b64 + "\"},\"error\":{\"message\":\"cfg "
                + b64 + "\"}},\"list\":[\"" + b64 + "\"]}");
        assertThat(raw).doesNotContain(b64);
        assertThat(masker.maskRaw("arg=EndScript&arg=" + java.net.URLEncoder.encode(b64, utf8))).doesNotContain(
                java.net.URLEncoder.encode(b64, utf8));
        // wrapped at 76 columns (MIME) or 64 (PEM), with CR LF or LF
        String longer = "[client]\nuser=backup\npassword=EncPw02\nhost=db.example.org\n# a long comment to wrap the encoding";
        String mime = java.util.Base64.getMimeEncoder().encodeToString(longer.getBytes(utf8));
        assertThat(mime).contains("\r\n");
        for (String wrapped : List.of(mime, mime.replace("\r\n", "\n"))) {
            String masked = masker.mask("attached my.cnf:\n" + wrapped + "\nend");
            assertThat(masked).doesNotContain(wrapped);
            String encoded = masked.substring("attached my.cnf:\n".length(), masked.length() - "\nend".length());
            assertThat(new String(java.util.Base64.getMimeDecoder().decode(encoded), utf8))
                    .contains("password=***").doesNotContain("EncPw02");
        }
        // a secret's name spelt with JSON's code escapes or percent escapes in plain text
        assertThat(masker.mask("{\"user\": \"bk\", \"pass\\u0077ord\": \"EncPw03\"} sent by the agent"))
                .doesNotContain("EncPw03");
        assertThat(masker.mask("curl said: pass%77ord=EncPw04 refused")).doesNotContain("EncPw04");
        assertThat(masker.mask("upload https://h/u?%70assword%3DEncPw05")).doesNotContain("EncPw05");
        // no secret under the encoding: as it came, byte for byte
        for (String kept : List.of(
                "note: " + java.util.Base64.getEncoder().encodeToString("a harmless note about VM01".getBytes(utf8)),
                "/vmfs/volumes/datastore1/backups/WIN7-ERP01/2026-11-29", "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "run 5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d of my-backup-job_name-2026", "caf\\u00e9 \\u00e9t\\u00e9 done",
                "https://h/u?q=%C3%A9t%C3%A9&x=50%25", "100% done, 50%2 left", "token-ish but not: abcdefghijklmnopqrstuvwxyz0123",
                java.util.Base64.getMimeEncoder().encodeToString(new byte[300]))) {
            assertThat(masker.mask(kept)).as(kept).isEqualTo(kept);
        }
    }

    @Test
    void anXsiBackupCommandLineKeepsItsMeaningAndLosesItsSecrets() {
        // the shape of XSIBackup-PRO's documentation: SMTP options and both callbacks pointing at Vigil
        String cmd = "--backup-point=/vmfs/volumes/backup --backup-type=custom --backup-vms=WIN7,ERP01 "
                + "--mail-from=esxi@example.org --mail-to=admin@example.org --smtp-srv=smtp.example.org --smtp-port=587 "
                + "--smtp-usr=esxi@example.org --smtp-pwd=S3cr3t!pw --smtp-auth=LOGIN --smtp-sec=TLS "
                + "--on-error=\"http://vigil.example.org:8080/hooks/xsibackup/" + TOKEN + "/error|OK\" "
                + "--on-success=\"http://vigil.example.org:8080/hooks/xsibackup/" + TOKEN + "/success|OK\"";
        String masked = masker.mask(cmd);
        assertThat(masked).doesNotContain("S3cr3t!pw", TOKEN)
                .contains("--smtp-pwd=***", "/hooks/xsibackup/***/error|OK", "--backup-vms=WIN7,ERP01",
                        "--smtp-usr=esxi@example.org", "--smtp-port=587");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--smtp-pwd='pass word' --x=1                  | --smtp-pwd='***' --x=1",
            "--smtp-pwd=\"pass word\" --x=1                | --smtp-pwd=\"***\" --x=1",
            "--smtp-password hunter2 --x                   | --smtp-password *** --x",
            "--encryption-key=AbC123 --backup-vms=A       | --encryption-key=*** --backup-vms=A",
            "--api-token=tok_123                           | --api-token=***",
            "--ftp-pass=x1                                 | --ftp-pass=***",
            "--smtp-usr=me@example.org:hunter2 --smtp-port=25 | --smtp-usr=me@example.org:*** --smtp-port=25",
            "https://backup:hunter2@nas.local/share        | https://backup:***@nas.local/share",
            "http://h/x?token=abc&vm=1                     | http://h/x?token=***&vm=1",
            "https://hooks.slack.com/x?sig=deadbeef#y      | https://hooks.slack.com/x?sig=***#y",
            "login failed: password=hunter2 user=bob       | login failed: password=*** user=bob",
            "ping http://vigil/ping/5f3b6a8e-2f1c-4c11-9a55-0c6b3c1d7e42/fail | ping http://vigil/ping/***/fail",
            "--backup-vms=WIN7 --backup-type=custom        | --backup-vms=WIN7 --backup-type=custom",
            "ERP01: snapshot creation failed               | ERP01: snapshot creation failed",
            // environments and logs: a secret's word as a part of the name
            "PGPASSWORD=PgPw12 pg_dump failed              | PGPASSWORD=*** pg_dump failed",
            "MYSQL_PWD=MyPw7                               | MYSQL_PWD=***",
            "BORG_PASSPHRASE=UpPhrase4 borg create          | BORG_PASSPHRASE=*** borg create",
            "borg_passphrase: lowPhrase3                   | borg_passphrase: ***",
            "AWS_SECRET_ACCESS_KEY=GenAws1 aws s3 cp       | AWS_SECRET_ACCESS_KEY=*** aws s3 cp",
            "secret_key=SecKey5                            | secret_key=***",
            "pass=Short11                                  | pass=***",
            "client-secret: abc                            | client-secret: ***",
            "{\"password\": \"Json Pw9\", \"vm\": \"ERP\"} | {\"password\": \"***\", \"vm\": \"ERP\"}",
            "{\"api_key\":\"AttrKey5\"}                  | {\"api_key\":\"***\"}",
            "arg=x&arg=PGPASSWORD%3DPgPw12+pg_dump          | arg=x&arg=PGPASSWORD%3D***",
            // HTTP credentials
            "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.secretjwt | Authorization: Bearer ***",
            "login failed, Authorization: Basic dXNlcjpSZXRyb0Jhc2lj | login failed, Authorization: Basic ***",
            "{\"Authorization\":\"Bearer GenBearer6\"}     | {\"Authorization\":\"***\"}",
            "Authorization: Digest username=\"u\", response=\"SecV16\" | Authorization: Digest ***",
            "password => SecV11 then                       | password => *** then",
            "Cookie: session=SecV20; theme=dark            | Cookie: ***",
            "<password>SecV21</password><vm>ERP</vm>       | <password>***</password><vm>ERP</vm>",
            "<api_key id=\"1\">SecV22</api_key>           | <api_key id=\"1\">***</api_key>",
            "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl end | jwt *** end",
            "Proxy-Authorization: Basic QmFzaWMxNA==       | Proxy-Authorization: Basic ***",
            "curl -H 'X: Bearer ghp_PingBearer123' failed  | curl -H 'X: Bearer ***' failed",
            "Authorization%3A+Basic+dXNlcjpSZXRyb0Jhc2lj   | Authorization%3A+Basic+***",
            // words that only start like a secret's name, and prose
            "Tests passed: 5 of 5                          | Tests passed: 5 of 5",
            "keys: 3 tokenizer: on                         | keys: 3 tokenizer: on",
            "basic backup of VM1 failed                    | basic backup of VM1 failed",
            "the bearer of bad news                        | the bearer of bad news",
            "monkey=banana hotkey: F5 compass=north        | monkey=banana hotkey: F5 compass=north",
            "key_count=9 token_bucket_size=100             | key_count=9 token_bucket_size=100",
            "AWS_SESSION_TOKEN=t1 RESTIC_PASSWORD=r2 db.pass=p3 | AWS_SESSION_TOKEN=*** RESTIC_PASSWORD=*** db.pass=***",
            // the structure around a value stays: markup, closing brackets, JSON escaped inside a JSON string
            "<message>pass=x1</message><client>           | <message>pass=***</message><client>",
            "{\"apikey\":true}}                           | {\"apikey\":***}}",
            "err {\\\"password\\\": \\\"FormV6\\\"}  | err {\\\"password\\\": \\\"***\\\"}",
            // a JSON array or object of values under a secret's name, whole
            "{\"password\": [\"ArrV1\", \"ArrV2\"], \"vm\": \"A\"} | {\"password\": ***, \"vm\": \"A\"}",
            "{\"api_key\":{\"v\":\"ObjV1\"}}           | {\"api_key\":***}",
            "{\"keys\": [1, 2]}                           | {\"keys\": [1, 2]}",
            // passwords as the short options of the tools backup scripts run
            "mysqldump -h db -u root -pCliV1 shop > x.sql   | mysqldump -h db -u root -p*** shop > x.sql",
            "mariadb-dump -P 3306 -p'Cli V2' --all         | mariadb-dump -P 3306 -p'***' --all",
            "mysql -u root -p shop -e 'select 1'           | mysql -u root -p shop -e 'select 1'",
            "sshpass -p CliV3 rsync -a /data nas:/backup   | sshpass -p *** rsync -a /data nas:/backup",
            "curl -fsS -u backup:CliV4 https://nas/upload  | curl -fsS -u backup:*** https://nas/upload",
            "smbclient //nas/b -U backup%CliV5 -c put      | smbclient //nas/b -U backup%*** -c put",
            "lftp -u backup,CliV6 ftp.example.org          | lftp -u backup,*** ftp.example.org",
            // short options combined or attached, more tools, environment and camel-case names, nested JSON
            "curl -fsSu backup:CliV7 https://nas/x | curl -fsSu backup:*** https://nas/x",
            "curl -uadmin:CliV8 https://nas/x | curl -uadmin:*** https://nas/x",
            "smbclient //srv/share CliV9 -U backup | smbclient //srv/share *** -U backup",
            "export SSHPASS=CliV10 DBPASS=CliV11 | export SSHPASS=*** DBPASS=***",
            "accessKey=CliV12 {\"privateKey\": \"CliV13\"} | accessKey=*** {\"privateKey\": \"***\"}",
            "{\"password\":[[\"NestV1\"]], \"b\":1} | {\"password\":***, \"b\":1}",
            "{\"password\":[{\"x\":\"NestV2\"}]} | {\"password\":***}",
            "{\"extra\":{\"secrets\":[{\"name\":\"db\",\"value\":\"NestV3\"}]}} | {\"extra\":{\"secrets\":***}}",
            "{\"password\":[\"x]y\",\"NestV4\"]} | {\"password\":***}",
            "{\"password\":\"abc\\\"NestV5\"} | {\"password\":\"***\"}",
            "7z a -pArcV1 b.7z | 7z a -p*** b.7z",
            "zip -P ArcV2 -r b.zip d | zip -P *** -r b.zip d",
            "openssl enc -aes256 -k ArcV3 -in f | openssl enc -aes256 -k *** -in f",
            "ncftpput -u u -p ArcV4 host /d | ncftpput -u u -p *** host /d",
            "mongodump -u admin -p ArcV5 --out d | mongodump -u admin -p *** --out d",
            "redis-cli -a ArcV6 ping | redis-cli -a *** ping",
            "ldapsearch -D cn=admin -w ArcV7 -b dc=x | ldapsearch -D cn=admin -w *** -b dc=x",
            "zip -r b.zip d; 7z a -p b.7z; ssh -p 22 h | zip -r b.zip d; 7z a -p b.7z; ssh -p 22 h",
            // a -p of another command, a port, a curl -u without a password
            "mkdir -p /backup; mysql -P 3306 -h db         | mkdir -p /backup; mysql -P 3306 -h db",
            "ssh -p 2222 nas; curl -u backup https://nas  | ssh -p 2222 nas; curl -u backup https://nas",
    })
    void eachCarrierIsMasked(String text, String expected) {
        assertThat(masker.mask(text)).isEqualTo(expected);
    }

    @Test
    void maskingTwiceChangesNothingMore() {
        String once = masker.mask("--smtp-pwd=x --on-error=\"http://v/hooks/xsibackup/" + TOKEN + "/error|OK\"");
        assertThat(masker.mask(once)).isEqualTo(once);
    }

    @Test
    void aFormEncodedSecretIsMaskedToo() {
        assertThat(masker.mask("arg=EndScript&arg=auth+failed+--smtp-pwd%3DTopSecret123+--x%3D1&host=h"))
                .isEqualTo("arg=EndScript&arg=auth+failed+--smtp-pwd%3D***+--x%3D1&host=h");
    }

    /** Not a speed measurement: a guard that no pattern backtracks over a long line (it took minutes before). */
    @Test
    void aLongLineWithoutASecretIsMaskedInLinearTime() {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            for (String unit : List.of("E", "a:", "--", "=", "x://", "--smtp-pwd", "key=", "PGPASSWORD_A_B_C",
                    "Bearer ", "Authorization: ", "pass%20", "\"key\":", "eyJab", "<password>", "Cookie:", "mysql ",
                    "curl -u a", "smbclient -U", "sshpass ", "{\"password\":[\"a\",", "\"secret\": \"\\\\",
                    "7z -p", "openssl -k ", "zip ", "\"password\":[[", "smbclient //s ", "key:[\"\\\"", "7z ", "curl ",
                    "mysql;", "mysql -p\"", "curl -u a:", "lftp -u a,", "mysql -p' -p\"", "x://a:b@", "x://a:@", "@",
                    "<x:password><![CDATA[", "<password><![CDATA[]", "name: \"password\", value: ",
                    "\\\"secret\\\": \\\"\\\\", "key=password value=", "Authorization\\\": \\\"", "key=\\",
                    "<entry key=\"password\">", "name: password, type: x, ", "<password> <![CDATA[", "%25", "%2",
                    "\\u005c", "\\u0025", "cGFzc3dvcmQ9eA== ", "cGFzc3dvcmQ9eA==\n", "Y0dGemMzZHZjbVE5ZUE9PQ== ",
                    "QUFBQUFBQUFBQUFBQUFBQQ", "%70ass=")) {
                String line = unit.repeat(200_000 / unit.length());
                // the text stays, but for a run like key=key=key=..., one long value masked whole to the end
                assertThat(masker.mask(line)).as(unit).satisfiesAnyOf(out -> assertThat(out).hasSizeGreaterThan(1000),
                        out -> assertThat(out).endsWith("***").hasSizeLessThan(64));
            }
        });
    }

    /** A token made at runtime is known only by its hash: every run of token characters is tried against it. */
    @Test
    void tokensKnownOnlyByTheirHashAreMaskedWhereverTheyAppear() {
        String runtime = "vgl_Qm9vdHN0cmFwLXRva2VuLXJ1bnRpbWUx";
        SecretMasker byHash = new SecretMasker(List.of(), candidate -> candidate.equals(runtime));
        assertThat(byHash.mask("note " + runtime + ", again:" + runtime + "."))
                .isEqualTo("note ***, again:***.");
        assertThat(byHash.mask("vgl_Qm9vdHN0cmFwLXRva2VuLXJ1bnRpbWUxEXTRA")).as("a longer run is another word")
                .doesNotContain("***");
        // the token segment of Vigil's own hook URLs, whoever's token it is
        assertThat(byHash.mask("--on-error=\"https://v.example/hooks/xsibackup/someone-elses-token/error|OK\" "
                + "ping_url: https://v.example/ping/0b6f3c1e-5d2a-4e8f-9a71-3c2d1e0f4a5b/fail"))
                .isEqualTo("--on-error=\"https://v.example/hooks/xsibackup/***/error|OK\" "
                        + "ping_url: https://v.example/ping/***/fail");
    }

    /** A shell-escaped quote (as a command line shows inside another quoted string) does not hide the value. */
    @Test
    void anEscapedQuoteAroundASecretIsMaskedWhole() {
        assertThat(masker.mask("--smtp-pwd=\\\"Esc-1208\\\" --next")).isEqualTo("--smtp-pwd=\\\"***\\\" --next");
        assertThat(masker.mask("--smtp-pwd=\\'Esc-1209\\' --next")).isEqualTo("--smtp-pwd=*** --next");
    }

    /**
     * The shortcuts (a pattern runs only on a text holding its words, {@code --}, {@code ://}...) change no result:
     * 50,000 random texts made of the patterns' own pieces, in random case, masked with and without them.
     */
    @Test
    void theShortcutsMaskExactlyWhatEveryPatternWould() {
        String[] pieces = {"--", "--smtp-", "pwd", "PASS", "word", "Secret", "tOkEn", "key", "api_", "auth", "sig",
                "usr", "User", "=", "%3D", "%3A", ":", "://", "@", "?", "&", ";", "\"", "'", " ", "  ", "/ping/",
                "/hooks/xsibackup/", "http", "host", "vm", "x", "1", "|", "#", ",", "\u212Aey", "-",
                "0123456789abcdefXYZ", "known-token-0123456789",
                // whole carriers, so that every pattern finds something in many texts
                "?sig=", "&auth=", ";api_key=", "--smtp-pwd=", "--encryption-key ", "--smtp-usr=a:", "password: ",
                "token=", "ftp://u:", "@nas", "%3Dv",
                "Bearer ", "bearer+", "Authorization", "proxy-", "Basic ", "PGPASSWORD", "passphrase", "_KEY", ".x",
                "cred", "credentials", "+", "%20", "%3A", "0123456789ab", "\"password\": \"", "{", "}",
                "Cookie: ", "<password>", "</password>", "<", ">", "eyJ", "eyJhbGci.eyJz.sig", ".", "=>", "Digest ",
                "mysqldump ", "MariaDB", " -p", "-u ", " -U", "sshpass", "curl ", "smbclient ", "rpcclient", "lftp ",
                "xtrabackup", "%", "\n", "[", "]", "[\"a\"]", "7z ", "zip ", " -P", "openssl ", " -k ", "mongodump",
                " -a ", "redis-cli", "ldapsearch", " -w ", "SSHPASS", "accessKey", "secrets", "\\\"", "//srv/s "};
        java.util.Random random = new java.util.Random(15);
        SecretMasker byHash = new SecretMasker(List.of(TOKEN), candidate -> candidate.endsWith("0123456789"));
        for (int n = 0; n < 50_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(14); k >= 0; k--) {
                String piece = pieces[random.nextInt(pieces.length)];
                text.append(random.nextBoolean() ? piece : piece.toUpperCase(java.util.Locale.ROOT));
            }
            String input = text.toString();
            assertThat(byHash.mask(input)).as(input).isEqualTo(byHash.mask(input, false));
        }
    }

    /** Known tokens are looked for in exactly the runs {@code [A-Za-z0-9_-]{16,256}} finds, each offered once. */
    @Test
    void everyRunOfTokenCharactersIsOfferedOnce() {
        java.util.regex.Pattern run = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{16,}+");
        java.util.Random random = new java.util.Random(16);
        String alphabet = "aZ09_-./ =é\u212A";
        for (int n = 0; n < 5_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(400); k >= 0; k--) {
                text.append(random.nextInt(4) == 0 ? alphabet.charAt(random.nextInt(alphabet.length()))
                        : alphabet.charAt(random.nextInt(4)));
            }
            List<String> expected = new java.util.ArrayList<>();
            java.util.regex.Matcher m = run.matcher(text);
            while (m.find()) {
                if (m.group().length() <= 256) {
                    expected.add(m.group());
                }
            }
            List<String> offered = new java.util.ArrayList<>();
            new SecretMasker(List.of(), candidate -> offered.add(candidate) && false).mask(text.toString());
            assertThat(offered).isEqualTo(expected);
        }
    }

    /** An attribute named like a secret is masked whole, whatever its value looks like; others as any text. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "password              | AttrPw3            | ***",
            "api_key               | AttrKey5           | ***",
            "Authorization         | Bearer GenBearer6  | ***",
            "smtp-auth             | LOGIN              | ***",
            "PGPASSWORD            | x                  | ***",
            "host                  | esxi-01            | esxi-01",
            "duplicateKeys         | PID,t              | PID,t",
            "author                | ops                | ops",
            "log                   | PGPASSWORD=PgPw12  | PGPASSWORD=***",
    })
    void anAttributeNamedLikeASecretIsMaskedWhole(String name, String value, String expected) {
        assertThat(masker.maskAttribute(name, value)).isEqualTo(expected);
    }

    /** The verdict on a name is the same the first time, when remembered, and for names beyond those remembered. */
    @Test
    void namesBeyondThoseRememberedAreJudgedAllTheSame() {
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < SecretMasker.REMEMBERED_NAMES + 500; i++) {
                assertThat(masker.maskAttribute("db" + i + "_password", "v" + i)).isEqualTo("***");
                assertThat(masker.maskAttribute("host" + i, "v" + i)).isEqualTo("v" + i);
            }
        }
        assertThat(masker.maskAttribute("_".repeat(100_000) + "token", "v")).as("over 200 characters: no secret's name")
                .isEqualTo("v");
    }

    /** A name masked keeps a digest of what was sent: two jobs that differ only in a secret stay two jobs. */
    @Test
    void aMaskedNameStaysItsOwn() {
        String alpha = masker.maskName("Set key: Alpha");
        String beta = masker.maskName("Set key: Beta");
        assertThat(alpha).startsWith("Set key: ***#").doesNotContain("Alpha").isNotEqualTo(beta);
        assertThat(masker.maskName("Set key: Alpha")).isEqualTo(alpha);
        assertThat(masker.maskName("Nightly VM-01")).isEqualTo("Nightly VM-01");
        assertThat(masker.maskName(null)).isNull();
    }

    /** A long quoted value (a PEM private key) and a long command line before the password are masked too. */
    @Test
    void longValuesAndLongCommandLinesAreMasked() {
        String pem = "-----BEGIN PRIVATE KEY-----\\n" + "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC".repeat(60) + "\\n-----END PRIVATE KEY-----";
        assertThat(masker.mask("{\"private_key\":\"" + pem + "\",\"vm\":\"A\"}"))
                .isEqualTo("{\"private_key\":\"***\",\"vm\":\"A\"}");
        String databases = "--databases " + "shop_".repeat(90);
        assertThat(masker.mask("mysqldump " + databases + " -pLongCli1 > x.sql"))
                .isEqualTo("mysqldump " + databases + " -p*** > x.sql");
    }

    /** A password option is found however many options come before it in the same command, and only there. */
    @Test
    void aPasswordOptionIsMaskedAnywhereInItsCommandAndNowhereElse() {
        String tables = " --tables " + "invoice_line_item_".repeat(200); // 3,610 characters of options
        assertThat(masker.mask("mysqldump --single-transaction" + tables + " -pFarCli1 shop > x.sql"))
                .isEqualTo("mysqldump --single-transaction" + tables + " -p*** shop > x.sql");
        assertThat(masker.mask("curl -fsS" + " -H 'X-Run: nightly'".repeat(100) + " -u backup:FarCli2 https://x/u"))
                .endsWith(" -u backup:*** https://x/u");
        assertThat(masker.mask("7z a -t7z" + " -xr!cache".repeat(300) + " -pFarCli3 /b/x.7z /srv"))
                .endsWith(" -p*** /b/x.7z /srv");
        assertThat(masker.mask("mariabackup --backup -uroot -pTwo1 --target-dir=/b -pTwo2"))
                .as("every password option of the command").isEqualTo("mariabackup --backup -uroot -p*** --target-dir=/b -p***");
        assertThat(masker.mask("mysql -p\"semi;colon&pipe|Q1\" shop")).as("a quoted value holds ; & |")
                .isEqualTo("mysql -p\"***\" shop");
        assertThat(masker.mask("mysqldump shop > x.sql; grep -pNotASecret x.sql\nmysql -e 'x' && echo -pAlsoNot"))
                .as("an option of the next command is not the tool's").contains("-pNotASecret", "-pAlsoNot");
        assertThat(masker.mask("mysqldump shop > x.sql\nsshpass" + " -v".repeat(400) + " -p Next1 ssh h; mysql -pNext2"))
                .doesNotContain("Next1", "Next2");
    }

    /** A value longer than any pattern's bound is masked to its end, and what follows it stays. */
    @Test
    void aLongSecretIsMaskedWholeWhateverItsLength() {
        String secret = "Zq9".repeat(800) + "TailEnd"; // 2,407 characters
        for (String[] form : new String[][] {
                {"borg --passphrase=", " create"}, {"borg --passphrase ", " create"}, {"mysqldump -p", " shop"},
                {"curl -u backup:", " https://x"}, {"https://x/u?token=", "&x=1"}, {"password: ", ", user=a"},
                {"Authorization: Basic ", "&x=1"}, {"curl -H 'X: Bearer ", "' https://x"}, {"Cookie: s=", "\"x"},
                {"https://v.example/ping/", "/fail"}, {"arg=--smtp-pwd%3D", "+--x%3D1"},
                {"--backup-user=root:", " --x"}, {"sshpass -p ", " ssh"},
                {"borg --passphrase \"", "\" create"}, {"--password='", "' create"}, {"mysqldump -p\"", "\" shop"},
                {"sshpass -p '", "' ssh"}, {"Authorization: \"Basic ", "\", \"x\": 1"},
                {"rsync://backup:", "@nas/share"}, {"<password>", "</password><x/>"}}) {
            String text = "run " + form[0] + secret + form[1];
            assertThat(masker.mask(text)).as(form[0]).doesNotContain("TailEnd", "Zq9Zq9").endsWith(form[1]);
        }
        assertThat(masker.maskRaw("{\"note\":\"--password=" + secret + " x\"}")).doesNotContain("TailEnd");
        assertThat(masker.mask("--password=\\\"" + secret + "\\\" --x")).isEqualTo("--password=\\\"***\\\" --x");
        assertThat(masker.mask("password=" + secret + "-token=\\\"Overhang1\\\" x")).as("a match inside a long value")
                .doesNotContain("TailEnd", "Overhang1").endsWith(" x");
    }

    /** Only a value cut by its bound goes on past where it was matched: what is not a long secret stays. */
    @Test
    void textAroundShortOrUnclosedValuesStays() {
        assertThat(masker.mask("<password>\"abc</password><vm name=\"ERP\"/>")).endsWith("</password><vm name=\"ERP\"/>");
        assertThat(masker.mask("--backup-user=root:'abc --next=1 it's")).endsWith(" --next=1 it's");
        assertThat(masker.mask("Authorization: \"Basic abc & other=1")).endsWith("& other=1");
        String log = "wrong <password> or no key found\n" + "retrying the upload of chunk 17 ".repeat(30);
        assertThat(masker.mask(log)).as("an element never closed is not one").isEqualTo(log);
        String query = "https://nas:5001?" + "share=backup&path=vm-01&".repeat(15) + " user@example.org";
        assertThat(masker.mask(query)).as("no user-info: a port and a query").isEqualTo(query);
        String quoted = "--password \"" + "x".repeat(511) + "\" --label \"nightly\"";
        assertThat(masker.mask(quoted)).as("closed just under its bound").isEqualTo("--password \"***\" --label \"nightly\"");
    }

    /** A quote never closed (a text cut at its limit, a typo) masks to the end of its value all the same. */
    @Test
    void anUnclosedQuoteStillMasksItsValue() {
        assertThat(masker.mask("cmd=backup --password=\"my Unclosed1 phrase")).doesNotContain("Unclosed1", "phrase");
        assertThat(masker.mask("sshpass -p \"Unclosed2")).doesNotContain("Unclosed2");
        assertThat(masker.mask("mysqldump -p\"Unclosed3 shop\nnext line")).doesNotContain("Unclosed3").endsWith("\nnext line");
        String key = "-----BEGIN KEY-----\n" + "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n".repeat(30) + "TailEnd\n-----END KEY-----";
        assertThat(masker.mask("run --ssh-key=\"" + key + "\" --x")).as("a quoted option over lines")
                .doesNotContain("TailEnd", "MIIEvQ").endsWith("\" --x");
        assertThat(masker.mask("<password>\"" + "Zq9".repeat(200) + "TailEnd</password><x/>")).as("an element's long value")
                .doesNotContain("TailEnd").endsWith("</password><x/>");
    }

    /** A raw input is masked in its own encoding: a form body value by value, JSON member by member. */
    @Test
    void aRawInputIsMaskedInItsOwnEncoding() {
        assertThat(masker.maskRaw("arg=EndScript&arg=F4R01&arg=-530&arg=curl+-fsSu+backup%3ARawV1+https%3A%2F%2Fx%2Fu+failed"))
                .isEqualTo("arg=EndScript&arg=F4R01&arg=-530&arg=curl+-fsSu+backup%3A***+https%3A%2F%2Fx%2Fu+failed");
        String json = "{\"data\":{\"error\":{\"message\":\"{\\\"password\\\":[[\\\"RawV2\\\"]]} and mysqldump -pRawV3\"},"
                + "\"attributes\":{\"private_key\":\"-----BEGIN KEY-----RawV4\",\"vm\":\"A\"}},\"secrets\":[{\"v\":\"RawV5\"}]}";
        String masked = masker.maskRaw(json);
        assertThat(masked).doesNotContain("RawV2", "RawV3", "RawV4", "RawV5").contains("\"vm\":\"A\"", "\"secrets\":\"***\"");
        // what holds no secret stays as it came: base64, a URI with its query
        String b64 = "UElEPTF8dD0yfGNtZD1MUzFpWVdOcmRYQXRkbTF6UFZkSlRqYz18ZXJyPQ==";
        assertThat(masker.maskRaw(b64)).isEqualTo(b64);
        assertThat(masker.maskRaw("/ping/***/fail?rid=5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d&ts=17"))
                .isEqualTo("/ping/***/fail?rid=5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d&ts=17");
        assertThat(masker.maskRaw("{not json password=RawV6")).doesNotContain("RawV6");
        String plain = "{ \"data\": {\"job\": \"nightly\"},\n  \"id\": \"1\" }";
        assertThat(masker.maskRaw(plain)).as("JSON without a secret, as it came").isEqualTo(plain);
    }
    /**
     * Secrets in the forms other tools write them: a URL whose password or user holds an unencoded {@code @}, SOAP's
     * namespaced elements and CDATA, JSON escaped inside JSON (with backslashes, inner quotes and long values), a
     * name and a value side by side (.NET, Kubernetes, Docker).
     */
    @Test
    void secretsInOtherToolsFormsAreMasked() {
        assertThat(masker.mask("rsync https://backup:p@ss@nas.local/share failed"))
                .isEqualTo("rsync https://backup:***@nas.local/share failed");
        assertThat(masker.mask("ftp://me@example.org:UrlV2@ftp.example.org/in"))
                .isEqualTo("ftp://me@example.org:***@ftp.example.org/in");
        assertThat(masker.mask("see https://nas.local:8443/x and mail me@example.org"))
                .isEqualTo("see https://nas.local:8443/x and mail me@example.org");
        assertThat(masker.mask("https://u:" + "Qz".repeat(200) + "@x@nas/s")).isEqualTo("https://u:***@nas/s");

        assertThat(masker.mask("<wsse:Password Type=\"#PasswordText\">SoapV1</wsse:Password><x/>"))
                .isEqualTo("<wsse:Password Type=\"#PasswordText\">***</wsse:Password><x/>");
        assertThat(masker.mask("<password><![CDATA[Cd<V]]2]]></password><vm>A</vm>"))
                .isEqualTo("<password>***</password><vm>A</vm>");
        assertThat(masker.mask("<ns1:apiKey>SoapV3</ns1:apiKey>")).isEqualTo("<ns1:apiKey>***</ns1:apiKey>");
        assertThat(masker.mask("<password><![CDATA[" + "Cd".repeat(3000) + "Tail]]></password>"))
                .isEqualTo("<password>***</password>");

        // {"password": "a\b"} and {"password": "a\"b"}, escaped as a string inside JSON
        assertThat(masker.mask("err {\\\"password\\\": \\\"Esc\\\\\\\\V1\\\", \\\"vm\\\": \\\"A\\\"}"))
                .isEqualTo("err {\\\"password\\\": \\\"***\\\", \\\"vm\\\": \\\"A\\\"}");
        assertThat(masker.mask("err {\\\"password\\\": \\\"Esc\\\\\\\"V2\\\"} end"))
                .isEqualTo("err {\\\"password\\\": \\\"***\\\"} end");
        assertThat(masker.mask("{\\\"secret\\\": \\\"" + "Lv".repeat(400) + "Tail\\\"} end"))
                .isEqualTo("{\\\"secret\\\": \\\"***\\\"} end");
        assertThat(masker.mask("{\\\"Authorization\\\": \\\"Basic RXNjVjQ6eA==\\\", \\\"vm\\\": 1}"))
                .isEqualTo("{\\\"Authorization\\\": \\\"***\\\", \\\"vm\\\": 1}");

        assertThat(masker.mask("<add key=\"DbPassword\" value=\"KeyedV1\" /><add key=\"Port\" value=\"1433\" />"))
                .doesNotContain("KeyedV1").contains("value=\"1433\"");
        assertThat(masker.mask("{\"env\":[{\"name\":\"DB_PASSWORD\",\"value\":\"KeyedV2\"},{\"name\":\"TZ\",\"value\":\"UTC\"}]}"))
                .isEqualTo("{\"env\":[{\"name\":\"DB_PASSWORD\",\"value\":\"***\"},{\"name\":\"TZ\",\"value\":\"UTC\"}]}");
        assertThat(masker.mask("env:\n- name: RESTIC_PASSWORD\n  value: KeyedV3\n- name: TZ\n  value: UTC"))
                .isEqualTo("env:\n- name: RESTIC_PASSWORD\n  value: ***\n- name: TZ\n  value: UTC");
        assertThat(masker.maskRaw("{\"env\":[{\"name\":\"DB_PASSWORD\",\"value\":\"KeyedV4\"}]}"))
                .doesNotContain("KeyedV4");
        assertThat(masker.mask("name: password_policy, value: strict")).as("a name that only starts like a secret's")
                .isEqualTo("name: password_policy, value: strict");
    }

    /** The same forms as they vary in the field: every one of these left a secret in clear, or masked text around it. */
    @Test
    void theSameFormsAsTheyVary() {
        // a URL password ending in @, an empty user, a query after the host that holds an @
        assertThat(masker.mask("https://backup:Summer2024@@nas.local/share")).isEqualTo("https://backup:***@nas.local/share");
        assertThat(masker.mask("REDIS_URL=redis://:RedisV1@cache:6379/0")).isEqualTo("REDIS_URL=redis://:***@cache:6379/0");
        assertThat(masker.mask("https://u:pw@host?redirect=me@x.org")).isEqualTo("https://u:***@host?redirect=me@x.org");
        // a password holding ? or #, as generated passwords do
        assertThat(masker.mask("DATABASE_URL=postgres://app:S3c#et@db/app")).isEqualTo("DATABASE_URL=postgres://app:***@db/app");
        assertThat(masker.mask("mysql://root:Pa#ss@db:3306/app")).isEqualTo("mysql://root:***@db:3306/app");
        assertThat(masker.mask("postgresql://app:x?y@db/app")).isEqualTo("postgresql://app:***@db/app");
        assertThat(masker.mask("curl https://api:tok#en@host/x")).isEqualTo("curl https://api:***@host/x");
        for (String plain : List.of("https://nas:5001?to=a@b.c&cc=d@e.f", "smtp://relay:25?to=ops@example.org",
                "https://u:@host/x")) {
            assertThat(masker.mask(plain)).isEqualTo(plain);
        }
        // CDATA after blanks, split around a "]]>", a closing tag with a blank
        assertThat(masker.mask("<password>\n  <![CDATA[CdataIndent]]>\n</password>")).doesNotContain("CdataIndent")
                .endsWith("</password>");
        assertThat(masker.mask("<Password><![CDATA[a]]]]><![CDATA[>SplitV]]></Password><x/>"))
                .isEqualTo("<Password>***</Password><x/>");
        assertThat(masker.mask("<wsse:Password Type=\"x\">SoapV4</wsse:Password >")).doesNotContain("SoapV4");
        // a name and its value far apart, with other attributes between, a path or a colon in the name
        assertThat(masker.mask("{\n        \"name\": \"DB_PASSWORD\",\n        \"value\": \"Json8V\"\n}")).doesNotContain("Json8V");
        assertThat(masker.mask("- name: DB_PASSWORD\n                value: Yaml16V")).doesNotContain("Yaml16V");
        assertThat(masker.mask("<add key=\"DbPassword\" providerName=\"x\" value=\"InterV\" />")).doesNotContain("InterV");
        assertThat(masker.mask("<add key=\"Smtp:Password\" value=\"ColonKeyV\" />")).doesNotContain("ColonKeyV");
        assertThat(masker.mask("{\"Name\": \"/prod/db/password\", \"Type\": \"SecureString\", \"Value\": \"SsmV\"}"))
                .isEqualTo("{\"Name\": \"/prod/db/password\", \"Type\": \"SecureString\", \"Value\": \"***\"}");
        assertThat(masker.mask("{\"name\": \"Authorization\", \"value\": \"Basic dXNlcjpIYXJWMQ==\"}")).doesNotContain("dXNlcjpIYXJWMQ");
        assertThat(masker.mask("{\"name\": \"Cookie\", \"value\": \"session=SessV123\"}")).doesNotContain("SessV123");
        // an unquoted YAML value to its line's end; YAML's doubled quote; an XML value ending in a backslash
        assertThat(masker.mask("- name: BORG_PASSPHRASE\n  value: my long passphrase here\n- name: TZ"))
                .isEqualTo("- name: BORG_PASSPHRASE\n  value: ***\n- name: TZ");
        assertThat(masker.mask("- name: DB_PASSWORD\n  value: p@ss,word;x")).isEqualTo("- name: DB_PASSWORD\n  value: ***");
        assertThat(masker.mask("- name: DB_PASSWORD\n  value: 'it''s-secret'")).isEqualTo("- name: DB_PASSWORD\n  value: '***'");
        assertThat(masker.mask("- name: DB_PASSWORD\n  value: >-\n    BlockV1\n    BlockV2\n- name: TZ\n  value: UTC"))
                .isEqualTo("- name: DB_PASSWORD\n  value: ***\n- name: TZ\n  value: UTC");
        assertThat(masker.mask("<add key=\"BackupPassword\" value=\"Pa55word\\\" /><add key=\"Port\" value=\"1433\" />"))
                .doesNotContain("Pa55word").contains("value=\"1433\"");
        // an element keyed by its attribute
        assertThat(masker.mask("<entry key=\"db.password\">PropsXmlV</entry><entry key=\"db.url\">jdbc:x</entry>"))
                .doesNotContain("PropsXmlV").endsWith(">jdbc:x</entry>"); // key="…" itself is masked as a pair
        assertThat(masker.mask("<setting name=\"DbPassword\" serializeAs=\"String\"><value>SettingsV</value></setting>"))
                .isEqualTo("<setting name=\"DbPassword\" serializeAs=\"String\"><value>***</value></setting>");
        // a quoted value cut before its closing quote (a text at its limit)
        assertThat(masker.mask("err {\\\"password\\\": \\\"Trunc123")).doesNotContain("Trunc123");
        assertThat(masker.mask("err {\"password\": \"Trunc456\nnext")).doesNotContain("Trunc456").endsWith("\nnext");
    }
}
