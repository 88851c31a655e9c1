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
        if (e.status() == 404 || e.status() == 400 || e.status() == 403 || e.status() == 409 || e.status() == 412) {
            // the service is there and said no: what the person asked for does not exist or is not theirs
            response.setStatus(e.status() == 403 ? 403 : e.status() == 400 ? 400 : 404);
            model.addAttribute("status", e.status() == 403 ? 403 : e.status() == 400 ? 400 : 404);
            model.addAttribute("title", e.status() == 403 ? "Not allowed" : e.status() == 400 ? "Cannot be read"
                    : "Not found");
            model.addAttribute("detail", e.getMessage());
            return "problem";
        }
        int status = e.status() == 503 ? 503 : 502;
        response.setStatus(status);
        model.addAttribute("status", status);
        model.addAttribute("service", e.service());
        model.addAttribute("detail", e.getMessage());
        return "problem";
    }
}
