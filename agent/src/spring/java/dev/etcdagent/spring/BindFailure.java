package dev.etcdagent.spring;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Why Spring Boot refused to bind a properties bean, in words that never quote a value (Spring's own
 * messages do): the property, and the constraint's message or the type it did not convert to.
 */
final class BindFailure {

    private BindFailure() {
    }

    static String describe(Throwable failure, String prefix) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindValidationException) {
                List<String> errors = new ArrayList<>();
                for (ObjectError error : ((BindValidationException) cause).getValidationErrors()) {
                    String where = error instanceof FieldError ? prefix + "." + ((FieldError) error).getField() + ": " : "";
                    errors.add(where + error.getDefaultMessage());
                }
                return "invalid: " + String.join("; ", errors);
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                BindException bind = (BindException) cause;
                return bind.getName() + ": cannot convert to " + bind.getTarget().getType();
            }
        }
        return Reasons.of(failure);
    }
}
