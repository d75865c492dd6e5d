package io.hvprobe.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The guest function a test's {@code RunResult} or {@code Verification} parameter comes from, with its arguments in
 * the command line's {@code --arg} forms ({@link io.hvprobe.guest.ArgumentSyntax}): {@code 42}, {@code 0x10},
 * {@code str:TEXT}, {@code ptr:u64=256}, {@code hex:666f6f00}, {@code buf:64,u32@8=5}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
public @interface Call {
    /**
     * The function's symbol name.
     *
     * @return the function
     */
    String value();

    /**
     * The arguments, in order (at most {@value io.hvprobe.guest.GuestCall#MAX_ARGUMENTS}).
     *
     * @return the arguments' text forms
     */
    String[] args() default {};
}
