package dev.vigil.console.web;

import dev.vigil.console.backend.Backends;
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
 * Registrations (the gateway's {@code /api/v1/registrations}): list, create, rotate, revoke. A new or rotated token
 * is shown once, on the page that answers the change, with the exact lines to paste into the backup product
 * (XSIBackup's {@code --on-error}, Retrospect's {@code retroeventhandler.conf}, borgmatic's {@code ping_url}, …).
 * That page is never cached.
 */
@Controller
class RegistrationPages {

    /** The sources a registration can be made for, as the gateway names them. */
    static final List<String> SOURCES = List.of("xsibackup", "retrospect", "healthchecks", "stoney", "generic");

    private final Backends backends;

    RegistrationPages(Backends backends) {
        this.backends = backends;
    }

    @GetMapping("/registrations")
    String list(@RequestParam(required = false) String revoked, BearerTokenAuthentication caller, Model model) {
        List<Map<String, Object>> registrations = backends.registrations(caller.getToken().getTokenValue());
        model.addAttribute("registrations", registrations);
        model.addAttribute("sources", SOURCES);
        // a notice names a registration of the list, never text from the address
        model.addAttribute("revoked", revoked != null && registrations.stream().anyMatch(r -> revoked.equals(r.get("id")))
                ? revoked : null);
        model.addAttribute("tenant", dev.vigil.security.ApiCaller.tenant(caller));
        return "registrations";
    }

    /** The page again, with the status the gateway answered and what was wrong. */
    private String again(Backends.BackendException e, BearerTokenAuthentication caller, Model model,
                         jakarta.servlet.http.HttpServletResponse response) {
        list(null, caller, model);
        model.addAttribute("error", e.getMessage());
        response.setStatus(e.status());
        return "registrations";
    }

    @PostMapping("/registrations")
    String create(@RequestParam Map<String, String> params, BearerTokenAuthentication caller, Model model,
                  jakarta.servlet.http.HttpServletResponse response) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (String field : List.of("id", "source", "tenant", "account", "job", "schedule", "zone", "reply")) {
            String value = params.getOrDefault(field, "").strip();
            if (!value.isEmpty()) {
                body.put(field, value);
            }
        }
        if ("on".equals(params.get("pingKey"))) {
            body.put("pingKey", true);
            body.put("autoProvision", true);
        }
        try {
            return shown(backends.createRegistration(caller.getToken().getTokenValue(), body), "created", model, response);
        } catch (Backends.BackendException e) {
            if (e.status() >= 400 && e.status() < 500) {
                return again(e, caller, model, response);
            }
            throw e;
        }
    }

    @PostMapping("/registrations/{id}/rotate")
    String rotate(@PathVariable String id, @RequestParam(defaultValue = "24h") String grace,
                  BearerTokenAuthentication caller, Model model, jakarta.servlet.http.HttpServletResponse response) {
        try {
            return shown(backends.rotateRegistration(caller.getToken().getTokenValue(), id, grace), "rotated", model, response);
        } catch (Backends.BackendException e) {
            if (e.status() >= 400 && e.status() < 500) {
                return again(e, caller, model, response);
            }
            throw e;
        }
    }

    @PostMapping("/registrations/{id}/revoke")
    String revoke(@PathVariable String id, BearerTokenAuthentication caller, Model model,
                  jakarta.servlet.http.HttpServletResponse response) {
        try {
            backends.revokeRegistration(caller.getToken().getTokenValue(), id);
        } catch (Backends.BackendException e) {
            if (e.status() >= 400 && e.status() < 500) {
                return again(e, caller, model, response);
            }
            throw e;
        }
        return "redirect:" + UriComponentsBuilder.fromPath("/registrations").queryParam("revoked", id).build().encode()
                .toUriString();
    }

    private static String shown(Map<String, Object> registration, String what, Model model,
                                jakarta.servlet.http.HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
        model.addAttribute("registration", registration);
        model.addAttribute("what", what);
        return "registration-token";
    }
}
