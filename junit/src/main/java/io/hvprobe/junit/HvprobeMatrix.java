package io.hvprobe.junit;

import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test method that runs once for each variant and profile its {@link HvprobeTest} names (variants outer, profiles
 * inner, in the order written), each run with its own probe; the display name is {@code [variant · profile]}.
 *
 * <pre>{@code
 * @HvprobeTest(object = "build/{variant}/vmw.o", variant = {"gcc-O2", "clang-O0"}, profile = {"vmware", "qemu-vmport"})
 * class DetectMatrixTest {
 *     @HvprobeMatrix
 *     @Call("hv_detect")
 *     void hasNoErrors(Verification v) {
 *         assertThatRun(v).hasNoFindingsAtOrAbove(Severity.ERROR);
 *     }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@TestTemplate
@ExtendWith(HvprobeExtension.class)
public @interface HvprobeMatrix {
}
