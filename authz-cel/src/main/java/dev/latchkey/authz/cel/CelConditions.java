package dev.latchkey.authz.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.latchkey.core.authz.ConditionEvaluator;
import dev.latchkey.core.authz.model.ConditionDefinition;
import dev.latchkey.core.authz.model.ParamType;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Conditions in CEL, as OpenFGA runs them: each parameter declared with its type ({@code timestamp},
 * {@code duration}, {@code list<string>} …), the expression type-checked to a boolean when the model is written.
 * Parameter values arrive as JSON and are converted to CEL's types ({@link CelValues}); {@code ipaddress} is a
 * string with OpenFGA's {@code in_cidr} method.
 */
public final class CelConditions implements ConditionEvaluator {
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .addFunctionBindings(CelFunctionBinding.from("ipaddress_in_cidr", String.class, String.class, Cidr::contains))
            .build();

    @Override
    public Compiled compile(ConditionDefinition c) {
        CelCompilerBuilder b = CelCompilerFactory.standardCelCompilerBuilder().setResultType(SimpleType.BOOL)
                .addFunctionDeclarations(CelFunctionDecl.newFunctionDeclaration("in_cidr",
                        CelOverloadDecl.newMemberOverload("ipaddress_in_cidr", SimpleType.BOOL, SimpleType.STRING, SimpleType.STRING)));
        c.parameters().forEach((name, type) -> b.addVar(name, celType(type)));
        CelCompiler compiler = b.build();
        CelAbstractSyntaxTree ast;
        CelRuntime.Program program;
        try {
            ast = compiler.compile(c.expression()).getAst();
            program = RUNTIME.createProgram(ast);
        } catch (CelValidationException e) {
            throw invalid(c, firstLine(e.getMessage()));
        } catch (CelEvaluationException e) {
            throw invalid(c, firstLine(e.getMessage()));
        }
        Map<String, ParamType> params = c.parameters();
        return values -> {
            List<String> missing = new ArrayList<>();
            for (String p : params.keySet()) {
                if (!values.containsKey(p) || values.get(p) == null) {
                    missing.add(p);
                }
            }
            if (!missing.isEmpty()) {
                return new Outcome.Missing(missing);
            }
            Map<String, Object> converted = new java.util.HashMap<>();
            params.forEach((p, type) -> converted.put(p, CelValues.convert(c.name(), p, type, values.get(p))));
            try {
                Object r = program.eval(converted);
                return Boolean.TRUE.equals(r) ? new Outcome.Met() : new Outcome.NotMet();
            } catch (CelEvaluationException e) {
                throw LatchkeyException.withMessage(ErrorCode.FGA_VALIDATION, "failed to evaluate relationship condition '" + c.name() + "': "
                        + firstLine(e.getMessage()), "cel evaluation");
            }
        };
    }

    static CelType celType(ParamType t) {
        return switch (t.name()) {
            case ANY -> SimpleType.DYN;
            case BOOL -> SimpleType.BOOL;
            case STRING, IPADDRESS -> SimpleType.STRING;
            case INT -> SimpleType.INT;
            case UINT -> SimpleType.UINT;
            case DOUBLE -> SimpleType.DOUBLE;
            case DURATION -> SimpleType.DURATION;
            case TIMESTAMP -> SimpleType.TIMESTAMP;
            case LIST -> ListType.create(celType(t.generics().get(0)));
            case MAP -> MapType.create(SimpleType.STRING, celType(t.generics().get(0)));
        };
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid expression";
        }
        String line = s.strip().split("\n", 2)[0];
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static LatchkeyException invalid(ConditionDefinition c, String why) {
        return LatchkeyException.withMessage(ErrorCode.FGA_INVALID_MODEL, "condition '" + c.name() + "' is invalid: " + why + ".",
                "cel compile " + c.name());
    }
}
