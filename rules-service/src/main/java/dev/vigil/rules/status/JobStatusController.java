package dev.vigil.rules.status;

import dev.vigil.model.Alert;
import dev.vigil.model.JobKey;
import dev.vigil.rules.job.JobHistory;
import dev.vigil.rules.job.JobProcessor;
import dev.vigil.rules.job.JobState;
import dev.vigil.rules.RulesProperties;
import dev.vigil.rules.rule.AnomalyRule;
import dev.vigil.rules.rule.QuotaForecastRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import dev.vigil.security.ApiCaller;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * What the rules know, read from their state stores (Kafka Streams interactive queries): every job with its last
 * run, outcome, next expected run and open alerts, and one job's recent history. A job kept by another instance
 * is fetched from that instance ({@code application.server}, with the caller's key), so any instance answers for all.
 * A tenant's API key sees its tenant's jobs only ({@link ApiCaller}).
 */
@RestController
class JobStatusController {

    private final StreamsBuilderFactoryBean streams;
    private final RestClient http = RestClient.create();

    private final RulesProperties.Anomaly anomaly;
    private final java.time.Duration startGrace;

    JobStatusController(StreamsBuilderFactoryBean streams, RulesProperties properties) {
        this.streams = streams;
        this.anomaly = properties.anomaly();
        this.startGrace = properties.schedule().startGrace();
    }

    /**
     * One line per job.
     *
     * @param job           the job key, {@code tenant/account/job} ({@link JobKey#asString()})
     * @param source        the product that last reported, e.g. {@code XSIBACKUP}; {@code null} for states older
     *                      than this field
     * @param host          the machine as the product names it, or {@code null}
     * @param runningSince  the start of a run that has not ended, or {@code null}
     * @param nextRunAt     the next run the schedule expects, or {@code null}
     * @param graceSeconds  how long after {@code nextRunAt} a missing start is still not late
     * @param openAlerts    {@code rule: summary} of each FIRING alert
     */
    record JobSummary(String job, Instant lastEventAt, Instant lastEndAt, String lastOutcome, Instant lastSuccessAt,
                      int consecutiveFailures, Instant nextRunAt, String schedule, List<String> openAlerts,
                      String source, String host, Instant runningSince, int missedRuns, long graceSeconds) {

        static JobSummary of(String key, JobState s, java.time.Duration grace) {
            return new JobSummary(key, s.lastEventAt(), s.lastEndAt(), s.lastOutcome() == null ? null : s.lastOutcome().name(),
                    s.lastSuccessAt(), s.consecutiveFailures(), s.nextRunAt(),
                    s.schedule() == null ? null : s.schedule().describe(),
                    s.openAlerts().values().stream().map(a -> a.rule() + ": " + a.summary()).sorted().toList(),
                    s.source() == null ? null : s.source().name(), s.host(), s.runningSince(), s.missedRuns(),
                    grace.toSeconds());
        }
    }

    /**
     * One job in full.
     *
     * @param runs       the last successful runs with their measures (bytes, files, seconds), oldest first
     * @param baselines  per measure ({@code bytes}, {@code files}, {@code durationSeconds}) the usual range the
     *                   anomaly rule judges by ({@link AnomalyRule#band}); absent while the history is too short
     * @param quota      the last quota reports, oldest first
     * @param quotaSlopeBytesPerDay the quota forecast's fitted growth, bytes a day; {@code null} with under two reports
     */
    record JobDetail(JobSummary summary, List<JobState.Entry> history, List<Alert> openAlerts, List<JobState.Run> runs,
                     java.util.Map<String, AnomalyRule.Band> baselines, List<JobState.QuotaPoint> quota,
                     Double quotaSlopeBytesPerDay) {
    }

    private JobDetail detail(String key, JobState state) {
        java.util.Map<String, AnomalyRule.Band> baselines = new java.util.LinkedHashMap<>();
        band("bytes", state, JobState.Run::bytes, baselines);
        band("files", state, JobState.Run::files, baselines);
        band("durationSeconds", state, JobState.Run::durationSeconds, baselines);
        return new JobDetail(JobSummary.of(key, state, startGrace), JobHistory.read(history(), key, state),
                List.copyOf(state.openAlerts().values()), state.recentRuns(), baselines, state.quota(),
                QuotaForecastRule.slopePerDay(state.quota()));
    }

    private void band(String name, JobState state, java.util.function.Function<JobState.Run, Long> measure,
                      java.util.Map<String, AnomalyRule.Band> into) {
        double[] values = state.recentRuns().stream().map(measure).filter(java.util.Objects::nonNull)
                .mapToDouble(Long::doubleValue).toArray();
        AnomalyRule.Band band = AnomalyRule.band(values, anomaly.minHistory(), anomaly.deviation(), anomaly.minChange());
        if (band != null) {
            into.put(name, band);
        }
    }

    /** Every job the caller's key may see (its tenant's; an operator's: all), from every instance. */
    @GetMapping("/api/v1/jobs")
    List<JobSummary> jobs(@RequestParam(defaultValue = "false") boolean local, Authentication caller,
                          @RequestHeader(name = HttpHeaders.AUTHORIZATION) String authorization) {
        List<JobSummary> jobs = new ArrayList<>(localJobs());
        if (!local) {
            for (var metadata : kafkaStreams().streamsMetadataForStore(JobProcessor.STORE)) {
                if (!isSelf(metadata.hostInfo())) {
                    JobSummary[] remote = http.get().uri(url(metadata.hostInfo(), "/api/v1/jobs?local=true"))
                            .header(HttpHeaders.AUTHORIZATION, authorization).retrieve().body(JobSummary[].class);
                    if (remote != null) {
                        jobs.addAll(List.of(remote));
                    }
                }
            }
        }
        jobs.removeIf(job -> !ApiCaller.mayAct(caller, JobKey.parse(job.job()).tenant()));
        jobs.sort(Comparator.comparing(JobSummary::job));
        return jobs;
    }

    /**
     * One job. The job name is the rest of the path, so names with {@code /} (Retrospect's
     * {@code Daily/My Computer/Mac HD}) need no escaping beyond each segment's own percent-encoding (RFC 3986).
     * A key of another tenant is answered 403.
     */
    @GetMapping("/api/v1/jobs/{tenant}/{account}/{*job}")
    ResponseEntity<?> job(@PathVariable String tenant, @PathVariable String account, @PathVariable String job,
                          Authentication caller, @RequestHeader(name = HttpHeaders.AUTHORIZATION) String authorization) {
        return one(new JobKey(tenant, account, job.startsWith("/") ? job.substring(1) : job), caller, authorization);
    }

    /**
     * One job by its key in the query, {@code ?key=tenant/account/job} percent-encoded as any query value: the form
     * for every job name, also one with {@code ..}, {@code %2F} or {@code ;}, which a path cannot carry unchanged.
     */
    @GetMapping(path = "/api/v1/job", params = "key")
    ResponseEntity<?> jobByKey(@RequestParam String key, Authentication caller,
                               @RequestHeader(name = HttpHeaders.AUTHORIZATION) String authorization) {
        JobKey job;
        try {
            job = JobKey.parse(key);
        } catch (IllegalArgumentException e) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "key is tenant/account/job.");
            problem.setTitle("Bad job key");
            return ResponseEntity.badRequest().body(problem);
        }
        return one(job, caller, authorization);
    }

    private ResponseEntity<?> one(JobKey job, Authentication caller, String authorization) {
        if (!ApiCaller.mayAct(caller, job.tenant())) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
                    "This API key may not see jobs of tenant '" + job.tenant() + "'.");
            problem.setTitle("Forbidden");
            return ResponseEntity.status(HttpStatus.FORBIDDEN).body(problem);
        }
        String key = job.asString();
        KeyQueryMetadata owner = kafkaStreams().queryMetadataForKey(JobProcessor.STORE, key, Serdes.String().serializer());
        if (owner != null && owner.activeHost() != null && !isSelf(owner.activeHost())
                && owner.activeHost().port() > 0) {
            try {
                return ResponseEntity.ok(http.get().uri(java.net.URI.create(url(owner.activeHost(), "/api/v1/job?key="
                                + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8))))
                        .header(HttpHeaders.AUTHORIZATION, authorization).retrieve().body(JobDetail.class));
            } catch (org.springframework.web.client.HttpClientErrorException.NotFound unknown) {
                return unknownJob();
            }
        }
        JobState state = store().get(key);
        if (state == null) {
            return unknownJob();
        }
        return ResponseEntity.ok(detail(key, state));
    }

    /** 404 as an RFC 9457 problem, as every refusal of the API is. */
    private static ResponseEntity<ProblemDetail> unknownJob() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "No job with this name has reported to Vigil (the name is the rest of the path, each segment"
                        + " percent-encoded, or the key= of /api/v1/job).");
        problem.setTitle("Unknown job");
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    private List<JobSummary> localJobs() {
        List<JobSummary> jobs = new ArrayList<>();
        try (KeyValueIterator<String, JobState> all = store().all()) {
            all.forEachRemaining(entry -> jobs.add(JobSummary.of(entry.key, entry.value, startGrace)));
        }
        return jobs;
    }

    private ReadOnlyKeyValueStore<String, JobState> store() {
        return kafkaStreams().store(StoreQueryParameters.fromNameAndType(JobProcessor.STORE,
                QueryableStoreTypes.<String, JobState>keyValueStore()));
    }

    private ReadOnlyKeyValueStore<String, JobHistory.Slot> history() {
        return kafkaStreams().store(StoreQueryParameters.fromNameAndType(JobHistory.STORE,
                QueryableStoreTypes.<String, JobHistory.Slot>keyValueStore()));
    }

    private KafkaStreams kafkaStreams() {
        KafkaStreams kafkaStreams = streams.getKafkaStreams();
        if (kafkaStreams == null || kafkaStreams.state() != KafkaStreams.State.RUNNING) {
            throw new org.springframework.web.server.ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                    "the rules are not running yet (Kafka Streams state " + (kafkaStreams == null ? "none" : kafkaStreams.state()) + ")");
        }
        return kafkaStreams;
    }

    private boolean isSelf(HostInfo host) {
        Object self = streams.getStreamsConfiguration().get("application.server");
        return self == null || self.equals(host.host() + ":" + host.port()) || host.equals(HostInfo.unavailable());
    }

    private static String url(HostInfo host, String path) {
        return "http://" + host.host() + ":" + host.port() + path;
    }

}
