package dev.vigil.console.web;

import dev.vigil.console.security.KeyCookieRepository;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Sign-in with a tenant API key (the keys of {@code vigil.api.keys}, the same the services' APIs take) and sign-out.
 * A wrong key is answered 401 on the same page; {@code next} brings the person back to the page they asked for,
 * and only to a page of the console.
 */
@Controller
class SignInController {

    private final KeyCookieRepository signIns;

    SignInController(KeyCookieRepository signIns) {
        this.signIns = signIns;
    }

    @GetMapping("/login")
    String form(@RequestParam(required = false) String next, Model model) {
        model.addAttribute("next", local(next));
        return "login";
    }

    @PostMapping("/login")
    String signIn(@RequestParam(name = "key", defaultValue = "") String key,
                  @RequestParam(required = false) String next, HttpServletRequest request,
                  HttpServletResponse response, Model model) {
        var authentication = signIns.authenticate(key);
        if (authentication.isEmpty()) {
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            model.addAttribute("next", local(next));
            model.addAttribute("error", true);
            return "login";
        }
        signIns.signIn(authentication.get(), request, response);
        return "redirect:" + local(next);
    }

    @PostMapping("/logout")
    String signOut(HttpServletRequest request, HttpServletResponse response) {
        signIns.signOut(request, response);
        return "redirect:/login";
    }

    /**
     * A path of this console, never another site: it starts with one {@code /}, has no dot segment, backslash,
     * control character, space or non-ASCII character (each a way browsers have read {@code //host} into a path).
     */
    static String local(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.length() > 2000
                || next.contains("/.") || next.indexOf('\\') >= 0 || next.toLowerCase(java.util.Locale.ROOT).contains("%2e")
                || next.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            return "/jobs";
        }
        return next;
    }
}
