package dev.vigil.console.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The console's error page: for a person, an HTML page that says what went wrong in words, with the status code
 * (404 for a page or job that does not exist or that the key may not see, 403 for a form sent without its CSRF token
 * or a change a read key may not make, 400 for a request that cannot be read); never a stack trace. It takes the
 * place of the JSON problem page the services' APIs answer with.
 */
@Controller
class ConsoleErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    String error(HttpServletRequest request, HttpServletResponse response, Model model) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer number && HttpStatus.resolve(number) != null && number >= 400
                ? HttpStatus.valueOf(number) : HttpStatus.NOT_FOUND;
        response.setStatus(status.value());
        model.addAttribute("status", status.value());
        model.addAttribute("title", switch (status) {
            case NOT_FOUND -> "Not found";
            case FORBIDDEN -> "Not allowed";
            case BAD_REQUEST -> "The request could not be read";
            case METHOD_NOT_ALLOWED -> "Not here";
            default -> status.is5xxServerError() ? "Something failed on Vigil's side" : "Refused";
        });
        model.addAttribute("detail", switch (status) {
            case NOT_FOUND -> "There is nothing at this address, or nothing this key may see.";
            case FORBIDDEN -> "The form was sent without its security token (reload the page and send it again),"
                    + " or this key may only read.";
            case BAD_REQUEST -> "Its address, a header or a form field is malformed.";
            case METHOD_NOT_ALLOWED -> "This address does not take this kind of request.";
            default -> status.is5xxServerError() ? "The error is logged. Try again in a moment." : "The request was refused.";
        });
        return "problem";
    }
}
