package dev.vigil.console.web;

import dev.vigil.console.backend.Backends.BackendException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/** A service that answers an error or none becomes a page that says which and why, with its status. */
@ControllerAdvice
class ConsoleErrors {

    /** The signed-in key's id, shown beside "Sign out". */
    @org.springframework.web.bind.annotation.ModelAttribute("who")
    String who(java.security.Principal principal) {
        return principal == null ? "" : principal.getName();
    }

    @ExceptionHandler(BackendException.class)
    String backend(BackendException e, HttpServletResponse response, Model model) {
        int status = e.status() >= 500 || e.status() < 400 ? 502 : e.status();
        if (e.status() == 503) {
            status = 503;
        }
        response.setStatus(status);
        model.addAttribute("status", status);
        model.addAttribute("service", e.service());
        model.addAttribute("detail", e.getMessage());
        return "problem";
    }
}
