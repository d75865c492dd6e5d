package io.hvprobe.disasm;

import capstone.X86;
import com.sun.jna.Structure;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hot decode path reads Capstone's native structs at fixed offsets (one JNA call per instruction instead
 * of the official binding's reflective {@code Structure.read}). These offsets must be the ones the official
 * binding, {@code com.github.transcurity:capstone:4.0.2}, lays its JNA structures out with. Its {@code cs_insn}
 * and {@code cs_detail} classes are not public, so the test reaches them reflectively.
 */
class CapstoneLayoutTest {

    private static Structure bindingStruct(String nestedName) throws ReflectiveOperationException {
        Constructor<?> c = Class.forName("capstone.Capstone$" + nestedName).getDeclaredConstructor();
        c.setAccessible(true);
        return (Structure) c.newInstance();
    }

    private static int offset(Structure s, String field) throws ReflectiveOperationException {
        Method m = Structure.class.getDeclaredMethod("fieldOffset", String.class);
        m.setAccessible(true);
        return (int) m.invoke(s, field);
    }

    @Test
    void instructionFieldsSitWhereTheOfficialBindingPutsThem() throws Exception {
        Structure insn = bindingStruct("_cs_insn");
        assertThat(insn.size()).isEqualTo(CapstoneDisassembler.INSN_SIZE);
        assertThat(offset(insn, "address")).isEqualTo(CapstoneDisassembler.INSN_ADDRESS);
        assertThat(offset(insn, "size")).isEqualTo(CapstoneDisassembler.INSN_SIZE_FIELD);
        assertThat(offset(insn, "bytes")).isEqualTo(CapstoneDisassembler.INSN_BYTES);
        assertThat(offset(insn, "mnemonic")).isEqualTo(CapstoneDisassembler.INSN_MNEMONIC);
        assertThat(offset(insn, "op_str")).isEqualTo(CapstoneDisassembler.INSN_OP_STR);
        assertThat(offset(insn, "cs_detail")).isEqualTo(CapstoneDisassembler.INSN_DETAIL);
    }

    @Test
    void x86OperandDetailSitsWhereTheOfficialBindingPutsIt() throws Exception {
        assertThat(offset(bindingStruct("_cs_detail"), "arch")).isEqualTo(CapstoneDisassembler.DETAIL_ARCH);
        X86.UnionOpInfo x86 = new X86.UnionOpInfo();
        assertThat(offset(x86, "op_count")).isEqualTo(CapstoneDisassembler.X86_OP_COUNT);
        assertThat(offset(x86, "op")).isEqualTo(CapstoneDisassembler.X86_OPERANDS);
        X86.Operand op = new X86.Operand();
        assertThat(op.size()).isEqualTo(CapstoneDisassembler.X86_OPERAND_SIZE);
        assertThat(offset(op, "access")).isEqualTo(CapstoneDisassembler.X86_OPERAND_ACCESS);
    }
}
