package io.hvprobe.junit;

import io.hvprobe.api.Probe;
import io.hvprobe.api.RunResult;
import io.hvprobe.guest.Argument;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.loader.LoadException;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;
import io.hvprobe.verify.VerifyOptions;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.AnnotatedElement;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Opens a {@link Probe} on the object {@link HvprobeTest} names for each test (each {@link HvprobeMatrix}
 * invocation), injects it, a {@link RunResult} or a {@link Verification} of the method's {@link Call}, or the
 * {@link ProbeTarget}, and closes the probe when the test ends. Registered by {@link HvprobeTest}; usable as
 * {@code @ExtendWith(HvprobeExtension.class)} together with it.
 */
public final class HvprobeExtension implements ParameterResolver, TestTemplateInvocationContextProvider {
    private static final Set<Class<?>> INJECTED = Set.of(Probe.class, RunResult.class, Verification.class,
            ProbeTarget.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            HvprobeExtension.class);

    /** Used by JUnit. */
    public HvprobeExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        // A matrix invocation's parameters come from that invocation's own resolver.
        return INJECTED.contains(parameter.getParameter().getType()) && !isMatrix(context);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        List<ProbeTarget> targets = ProbeTarget.of(annotation(context));
        if (targets.size() != 1) {
            throw new ParameterResolutionException(context.getDisplayName() + " runs under " + targets.size()
                    + " variant/profile combinations: annotate it @HvprobeMatrix instead of @Test");
        }
        return resolve(parameter.getParameter().getType(), targets.getFirst(), context);
    }

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return isMatrix(context);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        return ProbeTarget.of(annotation(context)).stream().map(Invocation::new);
    }

    private static boolean isMatrix(ExtensionContext context) {
        return context.getTestMethod().map(m -> AnnotationSupport.isAnnotated(m, HvprobeMatrix.class)).orElse(false);
    }

    /** The method's {@link HvprobeTest}, else its class's (or an enclosing class's). */
    private static HvprobeTest annotation(ExtensionContext context) {
        Optional<HvprobeTest> onMethod = context.getTestMethod().flatMap(m -> find(m, HvprobeTest.class));
        if (onMethod.isPresent()) {
            return onMethod.get();
        }
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<HvprobeTest> onClass = c.get().getTestClass().flatMap(k -> find(k, HvprobeTest.class));
            if (onClass.isPresent()) {
                return onClass.get();
            }
        }
        throw new ParameterResolutionException(context.getDisplayName() + ": no @HvprobeTest names the object"
                + " to probe (on the method or its class)");
    }

    private static <A extends java.lang.annotation.Annotation> Optional<A> find(AnnotatedElement e, Class<A> type) {
        return AnnotationSupport.findAnnotation(e, type);
    }

    /** What a parameter of {@code type} gets for {@code target}; the probe and its results live as long as the test. */
    private static Object resolve(Class<?> type, ProbeTarget target, ExtensionContext context) {
        if (type == ProbeTarget.class) {
            return target;
        }
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        Probe probe = store.getOrComputeIfAbsent(Probe.class, k -> open(target, context), Probe.class);
        if (type == Probe.class) {
            return probe;
        }
        if (type == RunResult.class) {
            return store.getOrComputeIfAbsent(RunResult.class, k -> run(probe, call(context), context),
                    RunResult.class);
        }
        return store.getOrComputeIfAbsent(Verification.class, k -> verify(probe, call(context), context),
                Verification.class);
    }

    private static Probe open(ProbeTarget target, ExtensionContext context) {
        try {
            return target.open();
        } catch (LoadException | IllegalArgumentException e) {
            throw new ParameterResolutionException(context.getDisplayName() + ": cannot probe " + target.object()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The method's {@link Call} as a guest call. */
    private static GuestCall call(ExtensionContext context) {
        Call call = context.getTestMethod().flatMap(m -> find(m, Call.class)).orElseThrow(() ->
                new ParameterResolutionException(context.getDisplayName() + ": a RunResult or Verification"
                        + " parameter needs @Call(\"function\") on the method"));
        try {
            return new GuestCall(call.value(), Arrays.stream(call.args()).map(Argument::parse).toList());
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException(context.getDisplayName() + ": @Call(\"" + call.value()
                    + "\") argument " + e.getMessage(), e);
        }
    }

    private static RunResult run(Probe probe, GuestCall call, ExtensionContext context) {
        try {
            return probe.run(call);
        } catch (UnknownFunctionException e) {
            throw new ParameterResolutionException(context.getDisplayName() + ": " + e.getMessage(), e);
        }
    }

    private static Verification verify(Probe probe, GuestCall call, ExtensionContext context) {
        try {
            return new Verifier(VerifyOptions.defaults()).verify(probe, call);
        } catch (UnknownFunctionException e) {
            throw new ParameterResolutionException(context.getDisplayName() + ": " + e.getMessage(), e);
        }
    }

    /** One {@link HvprobeMatrix} invocation: its display name and the resolver of its parameters. */
    private record Invocation(ProbeTarget target) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return "[" + target.label() + "]";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new ParameterResolver() {
                @Override
                public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
                    return INJECTED.contains(parameter.getParameter().getType());
                }

                @Override
                public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
                    return resolve(parameter.getParameter().getType(), target, context);
                }
            });
        }
    }
}
