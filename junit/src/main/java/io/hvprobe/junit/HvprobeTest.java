package io.hvprobe.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the compiled object a test class (or method) probes, and under which profiles and build variants; registers
 * {@link HvprobeExtension}, which opens a {@link io.hvprobe.api.Probe} for each test and closes it afterwards.
 * A test method then takes a {@code Probe}, a {@code RunResult} or a {@code Verification} parameter (the last two of
 * the method's {@link Call}).
 *
 * <pre>{@code
 * @HvprobeTest(object = "build/vmw.o", profile = "vmware")
 * class DetectTest {
 *     @Test
 *     @Call("hv_detect")
 *     void detectsTheHypervisor(Verification v) {
 *         assertThatRun(v).madeHypercall("GETVERSION").via(TrapForm.IN).returned(6);
 *     }
 * }
 * }</pre>
 *
 * With several profiles or variants, a {@link HvprobeMatrix} method runs once per variant and profile; a plain
 * {@code @Test} method needs exactly one of each. On a method this annotation replaces the class's.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(HvprobeExtension.class)
public @interface HvprobeTest {
    /**
     * The object's path (absolute, or relative to the test's working directory); {@code {variant}} in it stands for
     * each of {@link #variant()}.
     *
     * @return the object's path
     */
    String object();

    /**
     * The hypervisor model's profiles to run under (e.g. {@code vmware}, {@code qemu-vmport}); none: the model's
     * default profile.
     *
     * @return the profile names
     */
    String[] profile() default {};

    /**
     * Build-variant labels, each substituted for {@code {variant}} in {@link #object()} and carried into findings
     * (e.g. {@code x86_64/gcc/O2}); none: the object path as written.
     *
     * @return the variant labels
     */
    String[] variant() default {};

    /**
     * The hypervisor model (a plugin found through ServiceLoader; its artifact must be on the test class path).
     *
     * @return the model's name
     */
    String hypervisor() default "vmware";
}
