/**
 * What a hypervisor plugin builds on: guest architectures and registers ({@code io.hvprobe.arch}) and the plugin
 * SPI ({@code io.hvprobe.spi}). Plugins provide {@link io.hvprobe.spi.Hypervisor}; the engine finds them through
 * {@link java.util.ServiceLoader}.
 */
module io.hvprobe.spi {
    exports io.hvprobe.arch;
    exports io.hvprobe.spi;

    uses io.hvprobe.spi.Hypervisor;
}
