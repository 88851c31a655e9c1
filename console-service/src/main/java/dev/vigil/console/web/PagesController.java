package dev.vigil.console.web;

import dev.vigil.console.ConsoleProperties;
import dev.vigil.console.backend.Backends;
import dev.vigil.console.badge.Badges;
import dev.vigil.model.Alert;
import dev.vigil.model.JobKey;
import dev.vigil.model.Rules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pages a person reads: every job with its status (worst first, filtered by status, source, account and text),
 * one job with its runs as charts, and the firing alerts as the notifier groups them with who was told, how and when.
 */
@Controller
class PagesController {

    /** Every rule whose alerts a job page lists the audit of. */
    static final List<String> RULES = List.of(Rules.FAILED_BACKUP, Rules.MISSED_SCHEDULE, Rules.QUOTA,
            Rules.QUOTA_FORECAST, Rules.ANOMALY, Rules.CLIENT_TOO_OLD, Rules.NEVER_USED, Rules.SCRIPT_CHECK,
            Rules.SCHEDULE_CUT, Rules.LOGIN, "media");

    private final Backends backends;
    private final ConsoleProperties properties;
    private final Badges badges;
    private final dev.vigil.console.backend.RawEvents rawEvents;
    private final JsonMapper json = JsonMapper.builder().build();

    PagesController(Backends backends, ConsoleProperties properties, Badges badges,
                    dev.vigil.console.backend.RawEvents rawEvents) {
        this.backends = backends;
        this.properties = properties;
        this.badges = badges;
        this.rawEvents = rawEvents;
    }

    @GetMapping("/")
    String home() {
        return "redirect:/jobs";
    }

    @GetMapping("/jobs")
    String jobs(@RequestParam(required = false) String status, @RequestParam(required = false) String source,
                @RequestParam(required = false) String account, @RequestParam(required = false) String q,
                BearerTokenAuthentication caller, Model model) {
        String key = caller.getToken().getTokenValue();
        Instant now = Instant.now();
        List<Map<String, Object>> silences = backends.silences(key);
        List<JobView> all = backends.jobs(key).stream().map(summary -> JobView.of(summary, silences, now)).toList();
        Map<JobView.Status, Integer> counts = new EnumMap<>(JobView.Status.class);
        for (JobView.Status s : JobView.Status.values()) {
            counts.put(s, 0);
        }
        all.forEach(job -> counts.merge(job.status(), 1, Integer::sum));
        List<JobView> shown = all.stream().filter(job -> job.matches(status, source, account, q))
                .sorted(Comparator.comparing(JobView::status).thenComparing(JobView::key)).toList();
        model.addAttribute("jobs", shown);
        model.addAttribute("total", all.size());
        model.addAttribute("counts", counts);
        model.addAttribute("statuses", JobView.Status.values());
        model.addAttribute("sources", new TreeSet<>(all.stream().map(JobView::source).filter(s -> s != null).toList()));
        model.addAttribute("accounts", new TreeSet<>(all.stream().map(JobView::account).toList()));
        model.addAttribute("filter", new Filter(status, source, account, q));
        model.addAttribute("refreshSeconds", properties.refresh().toSeconds());
        model.addAttribute("tenant", dev.vigil.security.ApiCaller.tenant(caller));
        return "jobs";
    }

    /** The jobs page's filters as given (blank: all). */
    record Filter(String status, String source, String account, String q) {
    }

    /** A job's page by its readable path, for names a path carries unchanged: the same page under {@code /job/<id>}. */
    @GetMapping("/jobs/{tenant}/{account}/{*job}")
    String jobByPath(@PathVariable String tenant, @PathVariable String account, @PathVariable String job) {
        return "redirect:/job/" + new JobKey(tenant, account, job.startsWith("/") ? job.substring(1) : job).urlId();
    }

    /** A job's page: {@code id} is its key's {@link JobKey#urlId()}; another tenant's job or a bad id is 404. */
    @GetMapping("/job/{id}")
    String job(@PathVariable String id, BearerTokenAuthentication caller, Model model) {
        String key = caller.getToken().getTokenValue();
        JobKey jobKey;
        try {
            jobKey = JobKey.fromUrlId(id);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND, "no such job");
        }
        String tenant = jobKey.tenant();
        String account = jobKey.account();
        if (!dev.vigil.security.ApiCaller.mayAct(caller, tenant)) {
            throw new ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND);
        }
        Map<String, Object> detail = backends.job(key, jobKey);
        if (detail == null) {
            throw new ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND, "no such job");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) detail.get("summary");
        List<Map<String, Object>> silences = backends.silences(key);
        JobView view = JobView.of(summary, silences, Instant.now());
        model.addAttribute("pausedBy", view.silencedBy() == null ? null : silences.stream()
                .filter(s -> view.silencedBy().equals(s.get("id"))).findFirst().orElse(null));

        List<Map<String, Object>> audit = new ArrayList<>();
        for (String rule : RULES) {
            for (Map<String, Object> decision : backends.deliveries(key, Alert.fingerprint(rule, jobKey))) {
                Map<String, Object> row = new LinkedHashMap<>(decision);
                audit.add(row);
            }
        }
        audit.sort(Comparator.comparing((Map<String, Object> d) -> String.valueOf(d.get("at"))).reversed());

        model.addAttribute("job", view);
        model.addAttribute("detail", detail);
        model.addAttribute("history", withRaw(jobKey, reversed(detail.get("history"))));
        model.addAttribute("runsNewestFirst", reversed(detail.get("runs")));
        model.addAttribute("openAlerts", detail.get("openAlerts"));
        model.addAttribute("audit", audit.size() > 100 ? audit.subList(0, 100) : audit);
        model.addAttribute("charts", json.writeValueAsString(Map.of("runs", detail.getOrDefault("runs", List.of()),
                "baselines", detail.getOrDefault("baselines", Map.of()),
                "quota", detail.getOrDefault("quota", List.of()),
                "quotaSlopeBytesPerDay", detail.get("quotaSlopeBytesPerDay") == null ? 0 : detail.get("quotaSlopeBytesPerDay"))));
        model.addAttribute("hasRuns", detail.get("runs") instanceof List<?> runs && !runs.isEmpty());
        for (String measure : List.of("durationSeconds", "bytes", "files")) {
            model.addAttribute("has_" + measure, detail.get("runs") instanceof List<?> runs
                    && runs.stream().anyMatch(run -> run instanceof Map<?, ?> r && r.get(measure) != null));
        }
        model.addAttribute("hasQuota", detail.get("quota") instanceof List<?> quota && !quota.isEmpty());
        String origin = org.springframework.web.servlet.support.ServletUriComponentsBuilder.fromCurrentContextPath()
                .build().toUriString();
        model.addAttribute("badge", origin + badges.forJob(jobKey));
        model.addAttribute("accountBadge", origin + badges.forAccount(tenant, account));
        return "job";
    }

    @GetMapping("/alerts")
    String alerts(BearerTokenAuthentication caller, Model model) {
        String key = caller.getToken().getTokenValue();
        List<Map<String, Object>> groups = backends.alertGroups(key);
        for (Map<String, Object> group : groups) {
            if (group.get("alerts") instanceof List<?> alerts) {
                for (Object item : alerts) {
                    if (item instanceof Map<?, ?> grouped && grouped.get("alert") instanceof Map<?, ?> alert) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> writable = (Map<String, Object>) grouped;
                        writable.put("page", jobPage(alert.get("job")));
                    }
                }
            }
        }
        model.addAttribute("groups", groups);
        model.addAttribute("count", groups.stream().flatMap(g -> g.get("alerts") instanceof List<?> l ? l.stream()
                        : java.util.stream.Stream.empty())
                .map(a -> a instanceof Map<?, ?> m && m.get("alert") instanceof Map<?, ?> alert ? alert.get("fingerprint") : a)
                .distinct().count());
        model.addAttribute("refreshSeconds", properties.refresh().toSeconds());
        return "alerts";
    }

    /** The console page of a job as the APIs write a job key ({@code tenant}, {@code account}, {@code job}). */
    static String jobPage(Object job) {
        if (job instanceof Map<?, ?> key) {
            return Paths.jobPage(key.get("tenant") + "/" + key.get("account") + "/" + key.get("job"));
        }
        return "/jobs";
    }

    /** The history entries, each with its raw input ({@code raw}) where {@code backup.events} still has it. */
    private List<Object> withRaw(JobKey job, List<Object> history) {
        Map<Integer, List<Long>> offsets = new java.util.HashMap<>();
        for (Object item : history) {
            if (item instanceof Map<?, ?> entry && entry.get("partition") instanceof Number partition
                    && entry.get("offset") instanceof Number offset) {
                offsets.computeIfAbsent(partition.intValue(), p -> new ArrayList<>()).add(offset.longValue());
            }
        }
        Map<String, String> raw = new java.util.HashMap<>();
        offsets.forEach((partition, wanted) -> rawEvents.raw(job.asString(), partition, wanted)
                .forEach((offset, input) -> raw.put(partition + "@" + offset, input)));
        List<Object> shown = new ArrayList<>();
        for (Object item : history) {
            if (item instanceof Map<?, ?> entry) {
                Map<String, Object> copy = new LinkedHashMap<>();
                entry.forEach((k, v) -> copy.put(String.valueOf(k), v));
                copy.put("raw", raw.get(entry.get("partition") + "@" + entry.get("offset")));
                shown.add(copy);
            }
        }
        return shown;
    }

    private static List<Object> reversed(Object list) {
        List<Object> copy = list instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
        java.util.Collections.reverse(copy);
        return copy;
    }
}
