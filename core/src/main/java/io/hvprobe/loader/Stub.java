package io.hvprobe.loader;

/**
 * What an undefined symbol resolved to inside the image.
 *
 * @param name        the undefined symbol's name
 * @param address     guest address of the stub code or data cell
 * @param size        size in bytes of the code slot or the cell
 * @param kind        function stub, thunk or data cell
 * @param returnValue for {@link StubKind#FUNCTION}: the value the guest machine should return (default 0)
 */
public record Stub(String name, long address, long size, StubKind kind, long returnValue) {
}
