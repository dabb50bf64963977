package dev.etcdagent.spring;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.convert.ConversionException;

/** Why a value was refused, in words that never quote it: Spring's exception messages often do. */
final class Reasons {

    private Reasons() {
    }

    static String of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TypeMismatchException) {
                Class<?> type = ((TypeMismatchException) cause).getRequiredType();
                return "cannot convert to " + (type == null ? "the member's type" : type.getName());
            }
            if (cause instanceof ConversionException) {
                return "cannot convert to the member's type";
            }
            String message = cause.getMessage();
            if (message != null && message.startsWith("Could not resolve placeholder")) {
                // Names the placeholder and the expression, not a value.
                return message;
            }
        }
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }
}
