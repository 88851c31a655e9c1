package dev.vigil.gateway.source.healthchecks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.gateway.GatewayIntegrationTest;
import dev.vigil.kafka.test.TopicTail;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.RejectedInput;
import dev.vigil.model.Topics;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * healthchecks' Pinging API as its implementation answers it ({@code hc/api/urls.py}, {@code views.ping}), case by
 * case: request → status, body, and what Vigil recorded (the event's type and outcome, or the refusal kept on
 * {@code backup.rejected}). Then every body encoding a client sends, with and without a declared charset.
 */
class PingConformanceTests extends GatewayIntegrationTest {

    static final String CHECK = "5f3b6a8e-2f1c-4c11-9a55-0c6b3c1d7e42";
    static final String UNKNOWN = "0c1d2e3f-0000-4000-8000-000000000000";

    @ParameterizedTest(name = "{0} {1} → {2} {3}, {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // method | path and query (C = the check's UUID, U = an unknown UUID) | status | body | recorded
            "GET    | /ping/C                     | 200 | OK                  | BACKUP_FINISHED SUCCESS",
            "GET    | /ping/C/                    | 200 | OK                  | BACKUP_FINISHED SUCCESS",
            "HEAD   | /ping/C                     | 200 | -                   | BACKUP_FINISHED SUCCESS",
            "POST   | /ping/C                     | 200 | OK                  | BACKUP_FINISHED SUCCESS",
            "PUT    | /ping/C/                    | 200 | OK                  | BACKUP_FINISHED SUCCESS",
            "DELETE | /ping/C                     | 200 | OK                  | BACKUP_FINISHED SUCCESS",
            "GET    | /ping/C/start               | 200 | OK                  | BACKUP_STARTED NONE",
            "POST   | /ping/C/start/              | 200 | OK                  | BACKUP_STARTED NONE",
            "GET    | /ping/C/fail                | 200 | OK                  | BACKUP_FINISHED FAILED",
            "HEAD   | /ping/C/fail/               | 200 | -                   | BACKUP_FINISHED FAILED",
            "GET    | /ping/C/log                 | 200 | OK                  | LOG NONE",
            "POST   | /ping/C/log/                | 200 | OK                  | LOG NONE",
            "GET    | /ping/C/0                   | 200 | OK                  | BACKUP_FINISHED SUCCESS",
            "GET    | /ping/C/00/                 | 200 | OK                  | BACKUP_FINISHED SUCCESS",
            "GET    | /ping/C/0000                | 200 | OK                  | BACKUP_FINISHED SUCCESS",
            "GET    | /ping/C/0255                | 200 | OK                  | BACKUP_FINISHED FAILED",
            "GET    | /ping/C/1                   | 200 | OK                  | BACKUP_FINISHED FAILED",
            "POST   | /ping/C/255                 | 200 | OK                  | BACKUP_FINISHED FAILED",
            "GET    | /ping/C/256                 | 400 | invalid url format  | rejected",
            "GET    | /ping/C/99999999999999999999 | 400 | invalid url format | rejected",
            "GET    | /ping/C/-1                  | 404 | not found           | sampled ",
            "GET    | /ping/C/starts              | 404 | not found           | sampled ",
            "GET    | /ping/C/success             | 404 | not found           | sampled ",
            "GET    | /ping/C?rid=5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d | 200 | OK | BACKUP_FINISHED SUCCESS",
            "GET    | /ping/C/start?rid=5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d | 200 | OK | BACKUP_STARTED NONE",
            "GET    | /ping/C?rid=abc             | 400 | invalid uuid format | rejected",
            "GET    | /ping/C/fail?rid=5A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C2D | 400 | invalid uuid format | rejected",
            "GET    | /ping/C?rid=                | 400 | invalid uuid format | rejected",
            "GET    | /ping/U                     | 404 | not found           | sampled ",
            "GET    | /ping/U/fail                | 404 | not found           | sampled ",
            "GET    | /ping/U/256                 | 404 | not found           | sampled ",
            "GET    | /ping                       | 404 | not found           | sampled ",
            "GET    | /ping/                      | 404 | not found           | sampled ",
            "GET    | /ping/C//                   | 404 | not found           | sampled ",
            "POST   | /ping/a/b/c/d/e             | 404 | not found           | sampled ",
            "GET    | /ping/not-a-uuid            | 404 | not found           | sampled ",
            "GET    | /ping/5F3B6A8E-2F1C-4C11-9A55-0C6B3C1D7E42 | 404 | not found | sampled ",
            "GET    | /ping/my-ping-key/db-backup | 404 | not found           | sampled ",
            "GET    | /ping/my-ping-key/db-backup/fail | 404 | not found      | sampled ",
            "GET    | /ping/C?ts=yesterday        | 400 | ts must be Unix seconds or an RFC 3339 time | rejected",
            // a kind appended after a query (borgmatic: <ping_url>/<kind>), read as the client meant it
            "POST   | /ping/C?rid=5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d/fail | 200 | OK | BACKUP_FINISHED FAILED",
            "POST   | /ping/C?create=1/start           | 200 | OK                  | BACKUP_STARTED NONE",
            "POST   | /ping/C?create=1/3               | 200 | OK                  | BACKUP_FINISHED FAILED",
            // what follows is a path the client appended: read as the same segments in the path, never a success
            "POST   | /ping/C?create=1/starts          | 404 | not found           | sampled ",
            "POST   | /ping/C?create=1/%66ail          | 200 | OK                  | BACKUP_FINISHED FAILED",
            "POST   | /ping/C?create=1/%73tart/        | 200 | OK                  | BACKUP_STARTED NONE",
            "POST   | /ping/C?create=1/fail/start      | 404 | not found           | sampled ",
            "POST   | /ping/C?create=1/0?rid=5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d | 200 | OK | BACKUP_FINISHED SUCCESS",
            "POST   | /ping/C?create=1/fail?ts=1764500000 | 200 | OK               | BACKUP_FINISHED FAILED",
            "POST   | /ping/C?create=1/fail%2Fstart    | 404 | not found           | sampled ",
            "POST   | /ping/C?create=1/fail%00         | 404 | not found           | sampled ",
            "POST   | /ping/C?ts=1764500000/fail/x     | 404 | not found           | sampled ",
            "POST   | /ping/C?create=1/999             | 400 | invalid url format  | rejected",
            "POST   | /ping/C?create=1/0255            | 200 | OK                  | BACKUP_FINISHED FAILED",
            "POST   | /ping/C?create=1/000000000001    | 200 | OK                  | BACKUP_FINISHED FAILED",
            "POST   | /ping/C?create=1/FAIL            | 404 | not found           | sampled ",
            "POST   | /ping/C?create=1/+1              | 404 | not found           | sampled ",
            "POST   | /ping/C?create=1/-0              | 404 | not found           | sampled ",
            "POST   | /ping/C?create=1/%2B1            | 404 | not found           | sampled ",
            "POST   | /ping/C?create=1/%2d1            | 404 | not found           | sampled ",
            "POST   | /ping/C?create=1/0x1             | 404 | not found           | sampled ",
            "POST   | /ping/C?create=1/1e2             | 404 | not found           | sampled ",
            "POST   | /ping/C?create=1/1.0             | 404 | not found           | sampled ",
            "POST   | /ping/C?create=1/1e+2            | 404 | not found           | sampled ",
            "POST   | /ping/C?create=1/1.0.0           | 404 | not found           | sampled ",
            "POST   | /ping/C?create=1/2/              | 200 | OK                  | BACKUP_FINISHED FAILED",
            "POST   | /ping/C?note=/var/www       | 200 | OK                  | BACKUP_FINISHED SUCCESS",
            "POST   | /ping/C?note=/var/backups/2024-05-01 | 200 | OK         | BACKUP_FINISHED SUCCESS",
            "POST   | /ping/C?note=/mnt/1tb       | 200 | OK                  | BACKUP_FINISHED SUCCESS",
            // a value that is a path is a value, as healthchecks reads it, whatever it ends in
            "POST   | /ping/C?dir=/var/log        | 200 | OK                  | BACKUP_FINISHED SUCCESS",
            "POST   | /ping/C?x=/tmp/start        | 200 | OK                  | BACKUP_FINISHED SUCCESS",
            "POST   | /ping/C?note=/mnt/disk/2    | 200 | OK                  | BACKUP_FINISHED SUCCESS",
            "POST   | /ping/C?p=C:/Backups/Log    | 200 | OK                  | BACKUP_FINISHED SUCCESS",
            "POST   | /ping/C?a=1&dir=/srv/fail   | 200 | OK                  | BACKUP_FINISHED SUCCESS",
            "POST   | /ping/C?create=1/log        | 200 | OK                  | LOG NONE",
            "POST   | /ping/C?ts=1700000000/fail  | 200 | OK                  | BACKUP_FINISHED FAILED",
            "POST   | /ping/C?dir=/log            | 200 | OK                  | BACKUP_FINISHED SUCCESS",
            "POST   | /ping/C?path=var/log        | 200 | OK                  | BACKUP_FINISHED SUCCESS",
            "POST   | /ping/C?ref=hotfix/7        | 200 | OK                  | BACKUP_FINISHED SUCCESS",
            "POST   | /ping/C?x=1/start           | 200 | OK                  | BACKUP_FINISHED SUCCESS",
    })
    void everyPingAsHealthchecksAnswersIt(String method, String path, int status, String body, String recorded)
            throws Exception {
        String target = path.replace("/C", "/" + CHECK).replace("/U", "/" + UNKNOWN);
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(target))
                .method(method, method.equals("GET") || method.equals("HEAD") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("log line")));
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(body == null ? "" : body);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/plain"));
        assertThat(response.headers().firstValue("Cache-Control")).as("never cached, as healthchecks' never_cache")
                .hasValueSatisfying(value -> assertThat(value).contains("no-cache", "no-store", "max-age=0"));
        if (status == 200) {
            assertThat(response.headers().firstValue("Ping-Body-Limit")).isPresent();
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        }
        if (recorded.equals("sampled")) {
            // nobody known sent it: refused before its body is read, counted, kept at most once a second
            List<ConsumerRecord<String, String>> kept = tail.settle(Duration.ofMillis(300));
            assertThat(kept).hasSizeLessThanOrEqualTo(1).allSatisfy(r -> {
                assertThat(r.topic()).isEqualTo(Topics.REJECTED);
                assertThat(TopicTail.value(r, RejectedInput.class).status()).isEqualTo(status);
            });
            return;
        }
        List<ConsumerRecord<String, String>> records = tail.await(1, r -> true, Duration.ofSeconds(10));
        assertThat(records).hasSize(1);
        if (recorded.equals("rejected")) {
            assertThat(records.get(0).topic()).isEqualTo(Topics.REJECTED);
            assertThat(TopicTail.value(records.get(0), RejectedInput.class).status()).isEqualTo(status);
        } else {
            BackupEvent event = TopicTail.value(records.get(0), BackupEvent.class);
            assertThat(event.type() + " " + event.outcome()).isEqualTo(recorded);
            if (target.contains("rid=")) {
                assertThat(event.runId()).isEqualTo("5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d");
            }
        }
        assertThat(tail.settle(Duration.ofMillis(200))).as("one record per request").hasSize(1);
    }

    static final String LOG = "Sauvegarde démarrée\r\nÉchec : accès refusé à « D:\\Données »\r\nfin\r\n";

    @ParameterizedTest(name = "{0} BOM={1} as {2}")
    @CsvSource(nullValues = "none", value = {
            "UTF-8, false, none", "UTF-8, false, text/plain", "UTF-8, false, application/x-www-form-urlencoded",
            "UTF-8, true, none", "UTF-8, true, text/plain", "UTF-8, true, application/x-www-form-urlencoded",
            "UTF-16LE, true, none", "UTF-16LE, true, text/plain; charset=utf-16", "UTF-16LE, true, application/x-www-form-urlencoded",
            "UTF-16BE, true, none", "UTF-16BE, true, text/plain; charset=utf-16", "UTF-16BE, true, application/x-www-form-urlencoded",
            "UTF-16LE, false, text/plain; charset=utf-16le", "UTF-16LE, false, none",
            "windows-1252, false, none", "windows-1252, false, text/plain; charset=windows-1252",
            "windows-1252, false, application/x-www-form-urlencoded; charset=windows-1252",
            "ISO-8859-1, false, none", "ISO-8859-1, false, text/plain; charset=ISO-8859-1",
            "ISO-8859-1, false, application/x-www-form-urlencoded",
            "UTF-8, false, application/json", "UTF-8, false, application/octet-stream",
    })
    void aLogInAnyEncodingIsReadAsItsSenderMeantIt(String charset, boolean bom, String contentType) throws Exception {
        byte[] text = LOG.getBytes(Charset.forName(charset));
        byte[] mark = !bom ? new byte[0] : switch (charset) {
            case "UTF-8" -> new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
            case "UTF-16LE" -> new byte[] {(byte) 0xFF, (byte) 0xFE};
            default -> new byte[] {(byte) 0xFE, (byte) 0xFF};
        };
        byte[] body = new byte[mark.length + text.length];
        System.arraycopy(mark, 0, body, 0, mark.length);
        System.arraycopy(text, 0, body, mark.length, text.length);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/ping/" + CHECK + "/fail"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        assertThat(send(request).body()).isEqualTo("OK");

        BackupEvent event = TopicTail.value(tail.await(1, Topics.EVENTS, Duration.ofSeconds(10)).get(0), BackupEvent.class);
        assertThat(event.attributes().get("log")).isEqualTo(LOG);
        assertThat(event.error().message()).isEqualTo("Échec : accès refusé à « D:\\Données »");
    }

    @org.junit.jupiter.api.Test
    void a300KilobyteLogKeepsItsEndAndTheReasonIsItsLastErrorLine() throws Exception {
        StringBuilder log = new StringBuilder();
        while (log.length() < 300_000) {
            log.append("restic: saved file ").append(log.length()).append('\n');
        }
        log.append("Fatal: unable to save snapshot: repository is locked\nFiles: 12 new\n");
        assertThat(send(HttpRequest.newBuilder(uri("/ping/" + CHECK + "/1"))
                .POST(HttpRequest.BodyPublishers.ofString(log.toString()))).body()).isEqualTo("OK");
        BackupEvent event = TopicTail.value(tail.await(1, Topics.EVENTS, Duration.ofSeconds(10)).get(0), BackupEvent.class);
        assertThat(event.error().message()).isEqualTo("Fatal: unable to save snapshot: repository is locked");
        assertThat(event.attributes().get("log")).endsWith("Files: 12 new\n").contains("bytes left out");
        assertThat(event.attributes()).containsEntry("exitStatus", "1");
    }

    /** curl -X PUT -d, PowerShell's Invoke-RestMethod -Method Put: a form-typed body of any method is the log. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"PUT", "PATCH", "DELETE", "POST"})
    void aFormTypedBodyOfAnyMethodIsTheLogAsSent(String method) throws Exception {
        String body = "rsync error=23&files=12 done";
        assertThat(send(HttpRequest.newBuilder(uri("/ping/" + CHECK + "/fail"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(body))).body()).isEqualTo("OK");
        BackupEvent event = TopicTail.value(tail.await(1, Topics.EVENTS, Duration.ofSeconds(10)).get(0), BackupEvent.class);
        assertThat(event.attributes()).containsEntry("log", body).containsEntry("method", method);
    }
}
