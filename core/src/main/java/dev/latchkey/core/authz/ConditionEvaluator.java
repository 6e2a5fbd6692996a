package dev.latchkey.core.authz;

import dev.latchkey.core.authz.model.ConditionDefinition;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.List;
import java.util.Map;

/**
 * The port to a condition language (CEL, in {@code latchkey-authz-cel}): compiles a model's condition once, when the
 * model is written, and evaluates it per conditional tuple. Kept out of {@code core} because the CEL runtime brings
 * protobuf, Guava and ANTLR with it; the engine only needs this.
 */
public interface ConditionEvaluator {
    /** Compiles (parses and type-checks) a condition; an expression that is not a valid boolean CEL expression is an error. */
    Compiled compile(ConditionDefinition condition);

    /** A condition ready to run. */
    interface Compiled {
        /**
         * Evaluates the condition on its parameters (JSON values: strings, numbers, booleans, lists, maps, as the
         * request and the tuple carry them). Parameters the condition declares but {@code parameters} lacks make the
         * outcome {@link Outcome.Missing}.
         */
        Outcome evaluate(Map<String, Object> parameters);
    }

    /** What one evaluation found. */
    sealed interface Outcome {
        record Met() implements Outcome {
        }

        record NotMet() implements Outcome {
        }

        record Missing(List<String> parameters) implements Outcome {
            public Missing {
                parameters = List.copyOf(parameters);
            }
        }
    }

    /** For deployments without a condition language: any model with conditions is refused. */
    ConditionEvaluator NONE = condition -> {
        throw LatchkeyException.withMessage(ErrorCode.FGA_INVALID_MODEL,
                "Condition '" + condition.name() + "' cannot be compiled: no condition language is configured.", "no condition evaluator");
    };
}
