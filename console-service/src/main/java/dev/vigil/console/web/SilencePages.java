package dev.vigil.console.web;

import dev.vigil.console.ConsoleProperties;
import dev.vigil.console.backend.Backends;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Silences: the list (active, pending, expired), a form that a job or an alert page fills in (its account, job and
 * rule), and expiry. The notifier keeps them ({@code /api/v1/silences}); a tenant's key silences its own tenant only.
 * Times in the form are in the console's zone.
 */
@Controller
class SilencePages {

    /** The labels a silence of the console can match on, in the form's order. */
    static final List<String> LABELS = List.of("account", "job", "rule", "source", "severity");

    private final Backends backends;
    private final ConsoleProperties properties;

    SilencePages(Backends backends, ConsoleProperties properties) {
        this.backends = backends;
        this.properties = properties;
    }

    @GetMapping("/silences")
    String list(@RequestParam Map<String, String> params, BearerTokenAuthentication caller, Model model) {
        Instant now = Instant.now();
        List<Map<String, Object>> all = backends.silences(caller.getToken().getTokenValue());
        List<Map<String, Object>> active = all.stream().filter(s -> state(s, now).equals("active")).toList();
        List<Map<String, Object>> pending = all.stream().filter(s -> state(s, now).equals("pending")).toList();
        List<Map<String, Object>> expired = all.stream().filter(s -> state(s, now).equals("expired"))
                .sorted(java.util.Comparator.comparing((Map<String, Object> s) -> String.valueOf(s.get("endsAt"))).reversed())
                .limit(50).toList();
        model.addAttribute("active", active);
        model.addAttribute("pending", pending);
        model.addAttribute("expired", expired);
        Map<String, String> form = new LinkedHashMap<>();
        for (String label : LABELS) {
            form.put(label, params.getOrDefault(label, ""));
        }
        model.addAttribute("form", form);
        model.addAttribute("starts", LocalDateTime.ofInstant(now, properties.zone()).withSecond(0).withNano(0).toString());
        model.addAttribute("ends", LocalDateTime.ofInstant(now.plus(Duration.ofHours(2)), properties.zone())
                .withSecond(0).withNano(0).toString());
        model.addAttribute("zone", properties.zone().getId());
        model.addAttribute("author", caller.getName());
        // a notice names a silence of the list, never text from the address
        model.addAttribute("created", known(params.get("created"), active, pending));
        model.addAttribute("expiredId", known(params.get("expired"), expired));
        return "silences";
    }

    @SafeVarargs
    private static String known(String id, List<Map<String, Object>>... lists) {
        if (id == null) {
            return null;
        }
        for (List<Map<String, Object>> list : lists) {
            if (list.stream().anyMatch(s -> id.equals(s.get("id")))) {
                return id;
            }
        }
        return null;
    }

    @PostMapping("/silences")
    String create(@RequestParam Map<String, String> params, BearerTokenAuthentication caller, Model model,
                  jakarta.servlet.http.HttpServletResponse response) {
        Map<String, String> matchers = new LinkedHashMap<>();
        for (String label : LABELS) {
            String value = params.getOrDefault(label, "").strip();
            if (!value.isEmpty()) {
                matchers.put(label, value);
            }
        }
        Map<String, Object> silence = new LinkedHashMap<>();
        silence.put("matchers", matchers);
        try {
            silence.put("startsAt", local(params.get("startsAt"), Instant.now()).toString());
            silence.put("endsAt", local(params.get("endsAt"), null).toString());
        } catch (DateTimeParseException | NullPointerException e) {
            return again(params, "Start and end must be dates and times, e.g. 2026-12-01T08:00.", caller, model, response);
        }
        silence.put("author", params.getOrDefault("author", caller.getName()).isBlank() ? caller.getName()
                : params.get("author").strip());
        silence.put("comment", params.getOrDefault("comment", ""));
        try {
            Map<String, Object> created = backends.createSilence(caller.getToken().getTokenValue(), silence);
            return "redirect:/silences?created=" + created.get("id");
        } catch (Backends.BackendException e) {
            if (e.status() >= 400 && e.status() < 500) {
                return again(params, e.getMessage(), caller, model, response);
            }
            throw e;
        }
    }

    @PostMapping("/silences/{id}/expire")
    String expire(@PathVariable String id, BearerTokenAuthentication caller) {
        backends.expireSilence(caller.getToken().getTokenValue(), id);
        return "redirect:" + UriComponentsBuilder.fromPath("/silences").queryParam("expired", id).build().encode()
                .toUriString();
    }

    /** The page again, answered 400, with the form as filled in and what was wrong. */
    private String again(Map<String, String> params, String error, BearerTokenAuthentication caller, Model model,
                         jakarta.servlet.http.HttpServletResponse response) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String label : LABELS) {
            form.put(label, params.getOrDefault(label, ""));
        }
        list(form, caller, model);
        model.addAttribute("error", error);
        model.addAttribute("comment", params.getOrDefault("comment", ""));
        response.setStatus(400);
        return "silences";
    }

    private Instant local(String value, Instant blank) {
        if ((value == null || value.isBlank()) && blank != null) {
            return blank;
        }
        return LocalDateTime.parse(value.strip()).atZone(properties.zone()).toInstant();
    }

    /** {@code active}, {@code pending} (a maintenance window to come) or {@code expired}. */
    static String state(Map<String, Object> silence, Instant now) {
        Instant starts = JobView.instant(silence.get("startsAt"));
        Instant ends = JobView.instant(silence.get("endsAt"));
        if (ends == null || !now.isBefore(ends)) {
            return "expired";
        }
        return starts != null && now.isBefore(starts) ? "pending" : "active";
    }
}
