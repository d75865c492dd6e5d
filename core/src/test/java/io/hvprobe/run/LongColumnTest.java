package io.hvprobe.run;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The log's chunked columns give back what was appended, across the first chunk's growth and chunk boundaries. */
class LongColumnTest {

    @Test
    void valuesReadBackAcrossChunks() {
        LongColumn longs = new LongColumn();
        IntColumn ints = new IntColumn();
        int n = 3 * LongColumn.CHUNK + 17;
        for (int i = 0; i < n; i++) {
            longs.add(i * 0x1_0000_0001L);
            ints.add(-i);
        }
        assertThat(longs.size()).isEqualTo(n);
        assertThat(ints.size()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(longs.get(i)).as("long %d", i).isEqualTo(i * 0x1_0000_0001L);
            assertThat(ints.get(i)).as("int %d", i).isEqualTo(-i);
        }
        assertThatThrownBy(() -> longs.get(n)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ints.get(n)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
