import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Build step of the CLI jar (cli/pom.xml, after shading): rewrites every class file older than version 50 (Java 6)
 * as version 52 (Java 8) with stack map frames, computed by the JDK's class-file API; the bytecode is unchanged.
 *
 * <p>Why: the JDK 25 AOT cache skips classes of version 49 and older ("Old class has been linked"), since they are
 * verified by the old type-inferring verifier at run time; picocli's jar is version 49, so its classes were loaded,
 * parsed and verified from the jar on every run (docs/BENCHMARKS.md, "Start-up, fourth round"). Version 52 classes
 * must verify with their stack maps (no fall-back to the old verifier), so a wrong frame fails at once.
 *
 * <p>Usage: {@code java UpgradeOldClassFiles.java JAR}; the jar is changed in place, its other entries are kept. A
 * second run changes nothing.
 */
public final class UpgradeOldClassFiles {
    /** The first class-file version the AOT cache can link ahead of time (it carries stack maps). */
    private static final int FIRST_CACHED_VERSION = 50;
    private static final int TARGET_VERSION = 52;

    private UpgradeOldClassFiles() {
    }

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]).toAbsolutePath();
        try (URLClassLoader jarClasses = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
             FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            // The types the frames merge are looked up in the JDK, then in the jar itself.
            ClassHierarchyResolver resolver = ClassHierarchyResolver.defaultResolver()
                    .orElse(ClassHierarchyResolver.ofResourceParsing(jarClasses)).cached();
            ClassFile classFile = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(resolver));
            ClassTransform upgrade = ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                    .andThen(ClassTransform.endHandler(b -> b.withVersion(TARGET_VERSION, 0)));
            List<Path> classes;
            try (Stream<Path> all = Files.walk(zip.getPath("/"))) {
                classes = all.filter(p -> p.toString().endsWith(".class") && Files.isRegularFile(p)).toList();
            }
            for (Path entry : classes) {
                ClassModel model = classFile.parse(Files.readAllBytes(entry));
                if (model.majorVersion() < FIRST_CACHED_VERSION) {
                    write(entry, classFile.transformClass(model, upgrade));
                }
            }
        }
    }

    private static void write(Path entry, byte[] bytes) {
        try {
            Files.write(entry, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
