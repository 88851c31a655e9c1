package dev.vigil.console.badge;

import dev.vigil.console.ConsoleProperties;
import dev.vigil.console.backend.Backends;
import dev.vigil.console.web.JobView;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * Status badges without a sign-in, at URLs only the console makes ({@link Badges}): {@code .svg} (a shields-style
 * image: the job's or account's name and its status) and {@code .json}
 * ({@code {"status": "up", "total": 3, "failing": 0, "late": 0, "warning": 0}}, healthchecks' JSON badge plus
 * Vigil's states). An account's badge shows its worst job. Answered from the rules' job status with
 * {@code vigil.console.badge-api-key}; an unknown signature is 404.
 */
@RestController
class BadgeController {

    private final Badges badges;
    private final Backends backends;
    private final ConsoleProperties properties;
    private final ITemplateEngine templates;

    BadgeController(Badges badges, Backends backends, ConsoleProperties properties, ITemplateEngine templates) {
        this.badges = badges;
        this.backends = backends;
        this.properties = properties;
        this.templates = templates;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    @GetMapping("/badge/{signature}/{file}")
    ResponseEntity<?> badge(@PathVariable String signature, @PathVariable String file) {
        int dot = file.lastIndexOf('.');
        String extension = dot < 0 ? "" : file.substring(dot + 1);
        var subject = dot < 0 ? java.util.Optional.<Badges.Subject>empty() : badges.read(signature, file.substring(0, dot));
        if (subject.isEmpty() || !(extension.equals("svg") || extension.equals("json"))
                || properties.badgeApiKey() == null || properties.badgeApiKey().isBlank()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN).body("no such badge\n");
        }
        Badges.Subject s = subject.get();
        List<Map<String, Object>> silences = backends.silences(properties.badgeApiKey());
        Instant now = Instant.now();
        List<JobView> jobs;
        if (s.job() != null) {
            // one job: asked for alone, not picked out of the tenant's list
            Map<String, Object> detail;
            try {
                detail = backends.job(properties.badgeApiKey(), new dev.vigil.model.JobKey(s.tenant(), s.account(), s.job()));
            } catch (Backends.BackendException e) {
                if (e.status() >= 500) {
                    throw e;
                }
                detail = null; // a job the badge key may not see: unknown, as a job that does not exist
            }
            jobs = detail != null && detail.get("summary") instanceof Map<?, ?> summary
                    ? List.of(JobView.of(cast(summary), silences, now)) : List.of();
        } else {
            jobs = backends.jobs(properties.badgeApiKey()).stream()
                    .map(summary -> JobView.of(summary, silences, now))
                    .filter(job -> job.tenant().equals(s.tenant()) && job.account().equals(s.account()))
                    .toList();
        }
        String status = jobs.stream().map(JobView::status).min(Comparator.naturalOrder())
                .map(st -> st == JobView.Status.RUNNING ? "up" : st.id()).orElse("unknown");
        String label = s.job() != null ? s.job() : s.account();
        CacheControl noCache = CacheControl.noCache();
        if (extension.equals("json")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", status);
            body.put("total", jobs.size());
            for (JobView.Status st : List.of(JobView.Status.FAILING, JobView.Status.LATE, JobView.Status.WARNING)) {
                body.put(st.id(), jobs.stream().filter(j -> j.status() == st).count());
            }
            return ResponseEntity.ok().cacheControl(noCache).contentType(MediaType.APPLICATION_JSON).body(body);
        }
        String shown = dev.vigil.model.Text.line(label, 40);
        Context context = new Context(Locale.ENGLISH);
        int labelWidth = 10 + 7 * shown.length();
        int statusWidth = 10 + 7 * status.length();
        context.setVariable("label", shown);
        context.setVariable("status", status);
        context.setVariable("labelWidth", labelWidth);
        context.setVariable("statusWidth", statusWidth);
        context.setVariable("color", switch (status) {
            case "failing" -> "#c62828";
            case "late" -> "#e65100";
            case "warning" -> "#9e7c00";
            case "up" -> "#2e7d32";
            default -> "#616161";
        });
        return ResponseEntity.ok().cacheControl(noCache).contentType(MediaType.valueOf("image/svg+xml"))
                .body(templates.process("badge", context));
    }
}
