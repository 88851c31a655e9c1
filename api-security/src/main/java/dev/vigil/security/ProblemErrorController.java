package dev.vigil.security;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /error}, for every method. */
@RestController
class ProblemErrorController implements ErrorController {

    private final List<String> plainTextPaths;
    private final RequestPathMasker masker;
    private final ErrorPageListener listener;

    ProblemErrorController(List<String> plainTextPaths, RequestPathMasker masker, ErrorPageListener listener) {
        this.plainTextPaths = plainTextPaths.stream().filter(p -> !p.isBlank()).toList();
        this.masker = masker;
        this.listener = listener;
    }

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<?> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer number && HttpStatus.resolve(number) != null
                && number >= 400 ? HttpStatus.valueOf(number) : HttpStatus.NOT_FOUND;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? "" : uri.toString();
        if (!path.isEmpty()) {
            listener.answered(request, masker.mask(path), status.value(), detail(status));
        }
        if (plainTextPaths.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"))) {
            return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN)
                    .body(status == HttpStatus.NOT_FOUND ? "not found" : status.getReasonPhrase().toLowerCase());
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail(status));
        problem.setTitle(status.getReasonPhrase());
        problem.setType(URI.create("https://vigil.dev/problems/" + status.value()));
        if (!path.isEmpty()) {
            problem.setInstance(URI.create(masker.mask(path).replaceAll("[^A-Za-z0-9/._~*-]", "_")));
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    static String detail(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> "Nothing is served at this path.";
            case METHOD_NOT_ALLOWED -> "This path does not take this method.";
            case BAD_REQUEST -> "The request could not be read (its path, a header or its body is malformed).";
            case REQUEST_TIMEOUT -> "The request's body did not arrive in time.";
            case NOT_ACCEPTABLE -> "No answer in a media type the Accept header allows.";
            case UNSUPPORTED_MEDIA_TYPE -> "This path does not take a body of this Content-Type.";
            default -> status.is5xxServerError() ? "The request failed on Vigil's side." : "The request was refused.";
        };
    }
}
