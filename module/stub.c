// SPDX-License-Identifier: GPL-2.0
/*
 * stub.c - the stub page: one read-only, executable page in every task,
 * through which its agent runs the system calls the module asks for.
 *
 * A thread leaves its ioctl (mach_stub_dispatch()) with the call's
 * number in rax, the arguments in the argument registers and ip at the
 * stub; the stub makes the call and re-enters the module with the result.
 * r12 and r13 carry the /dev/mach fd and the request to re-enter with
 * across both calls: each user of the stub names its own (the agent's
 * MACH_IOC_AGENT_RETURN, a trampoline's, a new thread's), and the stub
 * knows none of them. A clone enters at MACH_STUB_CLONE: its child
 * re-enters with the request in r14 instead (a new shell's or thread's
 * first entry), the caller with r13's.
 *
 * Each mapping has its own page, because after the code it holds an
 * argv and an empty string for execveat() at their absolute addresses.
 * fork() copies the mapping at the same address, so the copy stays true.
 * Each mapping has its own file too, whose fops pin the module: the
 * mapping's vm_ops live in our text, and the file is released last.
 *
 * The files live on shmem's internal mount, on one inode of it the module
 * makes, as anon_inode_getfile() makes its files on the anon inode: a
 * filesystem that allows executable mappings on every kernel (since 7.x
 * anon inodes and private pseudo filesystems are SB_I_NOEXEC, and an
 * executable mapping of their files is refused). Only the file's place
 * changes: its fops are ours, it is opened read-only, and its mapping is
 * served by the fault handler below, never by shmem; the inode holds no
 * data.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/ptrace.h>
#include <linux/sched/task_stack.h>

#include <mach/ioctl.h>

#include "compat.h"
#include "stub.h"

/*
 *   0: syscall
 *   2: mov %rax,%rdx		the result is the ioctl's argument
 *   5: mov %r12d,%edi		the /dev/mach fd
 *   8: mov %r13d,%esi		the request
 *  11: mov $16,%eax		__NR_ioctl
 *  16: syscall
 *  18: test %rax,%rax		the module answers with a call number;
 *  21: js 25			an error means nothing is left to do here
 *  23: jmp 0
 *  25: mov $60,%eax		__NR_exit: this thread has nothing to do
 *  30: xor %edi,%edi		with status 0 (the leader's is the process's)
 *  32: syscall
 *  34: syscall			MACH_STUB_CLONE: a clone or vfork
 *  36: test %rax,%rax
 *  39: jnz 2			the caller (a pid or -errno): as above
 *  41: mov %r14d,%r13d		the child (0): re-enter with its request
 *  44: jmp 2
 *
 * MACH_STUB_EXCEPTION: the handler of the signals a fault raises, in a
 * task whose faults go to Mach (exception.c). Entered as any handler,
 * with the signal, its siginfo and ucontext in rdi, rsi and rdx:
 *  46: mov %rsi,%r9		keep the siginfo
 *  49: mov %edi,%r8d		and the signal
 *  52: mov exception_fd(%rip),%edi
 *  58: mov $MACH_IOC_EXCEPTION,%esi	(the ucontext: rdx, the argument)
 *  63: mov $16,%eax		__NR_ioctl
 *  68: syscall
 *  70: test %rax,%rax
 *  73: jg 78			a handler of the program's to run
 *  75: js 86			the module could not be asked
 *  77: ret			0: done, the frame says how to go on
 *  78: mov %r8d,%edi		the program's handler, entered as the
 *  81: mov %r9,%rsi		kernel would have
 *  84: jmp *%rax
 *  86: mov %r8d,%esi		no module (a fork's child, which closed
 *  89: shl $5,%esi		the fd): the program's own disposition
 *  92: lea program(%rip),%rdi	back for good,
 *  99: add %rdi,%rsi
 * 102: mov %r8d,%edi
 * 105: xor %edx,%edx
 * 107: mov $8,%r10d
 * 113: mov $13,%eax		__NR_rt_sigaction
 * 118: syscall
 * 120: mov $186,%eax		__NR_gettid
 * 125: syscall
 * 127: mov %eax,%esi
 * 129: mov $39,%eax		__NR_getpid
 * 134: syscall
 * 136: mov %eax,%edi
 * 138: mov %r8d,%edx
 * 141: mov %r9,%r10		and the signal again, with its siginfo:
 * 144: mov $297,%eax		__NR_rt_tgsigqueueinfo, taken once the
 * 149: syscall			frame's mask is back
 * 151: ret
 * 152: mov $15,%eax		MACH_STUB_RESTORER: __NR_rt_sigreturn
 * 157: syscall
 */
/* Its 32-bit operands, filled in by mach_stub_mmap(): their offsets. */
#define MACH_STUB_FD_DISP	54
#define MACH_STUB_REQUEST	59
#define MACH_STUB_PROGRAM_DISP	95
static const u8 mach_stub_code[] = {
	0x0f, 0x05,
	0x48, 0x89, 0xc2,
	0x44, 0x89, 0xe7,
	0x44, 0x89, 0xee,
	0xb8, 0x10, 0x00, 0x00, 0x00,
	0x0f, 0x05,
	0x48, 0x85, 0xc0,
	0x78, 0x02,
	0xeb, 0xe7,
	0xb8, 0x3c, 0x00, 0x00, 0x00,
	0x31, 0xff,
	0x0f, 0x05,
	0x0f, 0x05,
	0x48, 0x85, 0xc0,
	0x75, 0xd9,
	0x45, 0x89, 0xf5,
	0xeb, 0xd4,
	/* MACH_STUB_EXCEPTION */
	0x49, 0x89, 0xf1,
	0x41, 0x89, 0xf8,
	0x8b, 0x3d, 0, 0, 0, 0,
	0xbe, 0, 0, 0, 0,
	0xb8, 0x10, 0x00, 0x00, 0x00,
	0x0f, 0x05,
	0x48, 0x85, 0xc0,
	0x7f, 0x03,
	0x78, 0x09,
	0xc3,
	0x44, 0x89, 0xc7,
	0x4c, 0x89, 0xce,
	0xff, 0xe0,
	0x44, 0x89, 0xc6,
	0xc1, 0xe6, 0x05,
	0x48, 0x8d, 0x3d, 0, 0, 0, 0,
	0x48, 0x01, 0xfe,
	0x44, 0x89, 0xc7,
	0x31, 0xd2,
	0x41, 0xba, 0x08, 0x00, 0x00, 0x00,
	0xb8, 0x0d, 0x00, 0x00, 0x00,
	0x0f, 0x05,
	0xb8, 0xba, 0x00, 0x00, 0x00,
	0x0f, 0x05,
	0x89, 0xc6,
	0xb8, 0x27, 0x00, 0x00, 0x00,
	0x0f, 0x05,
	0x89, 0xc7,
	0x44, 0x89, 0xc2,
	0x4d, 0x89, 0xca,
	0xb8, 0x29, 0x01, 0x00, 0x00,
	0x0f, 0x05,
	0xc3,
	/* MACH_STUB_RESTORER */
	0xb8, 0x0f, 0x00, 0x00, 0x00,
	0x0f, 0x05,
};

static void mach_stub_vm_open(struct vm_area_struct *vma)
{
	get_page(vma->vm_private_data);
}

static void mach_stub_vm_close(struct vm_area_struct *vma)
{
	put_page(vma->vm_private_data);
}

static vm_fault_t mach_stub_vm_fault(struct vm_fault *vmf)
{
	struct page *page = vmf->vma->vm_private_data;

	if (vmf->pgoff)
		return VM_FAULT_SIGBUS;
	get_page(page);
	vmf->page = page;
	return 0;
}

/* The stub stays where the module put it. */
static int mach_stub_vm_mremap(struct vm_area_struct *vma)
{
	return -EINVAL;
}

static const struct vm_operations_struct mach_stub_vm_ops = {
	.open = mach_stub_vm_open,
	.close = mach_stub_vm_close,
	.fault = mach_stub_vm_fault,
	.mremap = mach_stub_vm_mremap,
};

/*
 * A 32-bit operand of the code (x86: little-endian); a rip-relative one
 * counts from the end of its instruction, which it ends.
 */
static void mach_stub_operand(struct mach_stub_page *data, unsigned int at, u32 value)
{
	memcpy(data->code + at, &value, sizeof(value));
}

unsigned int mach_stub_cpu_words(void)
{
	unsigned int words = BITS_TO_U64(nr_cpu_ids);
	size_t room = (PAGE_SIZE - offsetof(struct mach_stub_page, node_cpus)) / sizeof(u64);

	return words * min_t(unsigned int, nr_node_ids, MACH_STUB_NODES) <= room ? words : 0;
}

static int mach_stub_mmap(struct file *file, struct vm_area_struct *vma)
{
	unsigned int words = mach_stub_cpu_words();
	struct mach_stub_page *data;
	struct page *page;
	int i, node, cpu;

	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != PAGE_SIZE ||
	    (vma->vm_flags & VM_WRITE))
		return -EINVAL;
	page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!page)
		return -ENOMEM;

	data = page_address(page);
	BUILD_BUG_ON(sizeof(mach_stub_code) > sizeof(data->code));
	BUILD_BUG_ON(sizeof(*data) > PAGE_SIZE);
	BUILD_BUG_ON(mach_stub_code[MACH_STUB_EXIT] != 0xb8);	/* mov $60 */
	BUILD_BUG_ON(mach_stub_code[MACH_STUB_CLONE] != 0x0f);	/* syscall */
	BUILD_BUG_ON(mach_stub_code[MACH_STUB_EXCEPTION] != 0x49);	/* mov %rsi,%r9 */
	BUILD_BUG_ON(sizeof(struct mach_stub_action) != 1 << 5);	/* shl $5 */
	BUILD_BUG_ON(mach_stub_code[MACH_STUB_RESTORER] != 0xb8);	/* mov $15 */
	BUILD_BUG_ON(sizeof(mach_stub_code) != MACH_STUB_RESTORER + 7);
	memcpy(data->code, mach_stub_code, sizeof(mach_stub_code));
	mach_stub_operand(data, MACH_STUB_FD_DISP,
			  offsetof(struct mach_stub_page, exception_fd) -
			  (MACH_STUB_FD_DISP + 4));
	mach_stub_operand(data, MACH_STUB_REQUEST, MACH_IOC_EXCEPTION);
	mach_stub_operand(data, MACH_STUB_PROGRAM_DISP,
			  offsetof(struct mach_stub_page, program) -
			  (MACH_STUB_PROGRAM_DISP + 4));
	data->argv[0] = vma->vm_start + offsetof(struct mach_stub_page, empty);
	data->exception_fd = -1;
	for (i = 0; i < MACH_STUB_NODES; i++) {
		data->node_masks[i] = 1ULL << i;
		data->other_nodes[i] = 0;
	}
	for_each_node_state(node, N_MEMORY)
		for (i = 0; i < MACH_STUB_NODES && node < MACH_STUB_NODES; i++)
			if (i != node)
				data->other_nodes[i] |= 1ULL << node;
	for_each_online_node(node)
		if (words && node < MACH_STUB_NODES)
			for_each_cpu(cpu, cpumask_of_node(node))
				data->node_cpus[node * words + cpu / 64] |= 1ULL << (cpu % 64);

	vm_flags_clear(vma, VM_MAYWRITE);
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_private_data = page;
	vma->vm_ops = &mach_stub_vm_ops;
	/*
	 * Mapped now rather than at the first fault: the agent's first call
	 * through it would pay for one. (VM_MIXEDMAP, which this sets, also
	 * has fork() copy the entry.) Failing that, the fault maps it.
	 */
	vm_insert_page(vma, vma->vm_start, page);
	return 0;
}

static const struct file_operations mach_stub_fops = {
	.owner = THIS_MODULE,
	.mmap = mach_stub_mmap,
};

bool mach_stub_vma(const struct vm_area_struct *vma)
{
	return vma->vm_ops == &mach_stub_vm_ops;
}

/* The shmem file whose mount and inode the stubs' files use. */
static struct file *mach_stub_home;

unsigned long mach_stub_map(void)
{
	struct inode *inode = file_inode(mach_stub_home);
	struct file *file;
	unsigned long addr;

	/* The file's release drops both, as anon_inode_getfile()'s does. */
	__module_get(THIS_MODULE);
	ihold(inode);
	file = alloc_file_pseudo(inode, mach_stub_home->f_path.mnt, "[mach-stub]",
				 O_RDONLY, &mach_stub_fops);
	if (IS_ERR(file)) {
		iput(inode);
		module_put(THIS_MODULE);
		return PTR_ERR(file);
	}
	addr = vm_mmap(file, 0, PAGE_SIZE, PROT_READ | PROT_EXEC, MAP_SHARED, 0);
	fput(file);		/* the mapping holds it */
	return addr;
}

long mach_stub_dispatch(unsigned long stub, int fd, unsigned int request,
			const struct mach_syscall *sc)
{
	struct pt_regs *regs = current_pt_regs();

	regs->di = sc->args[0];
	regs->si = sc->args[1];
	regs->dx = sc->args[2];
	regs->r10 = sc->args[3];
	regs->r8 = sc->args[4];
	regs->r9 = sc->args[5];
	regs->r12 = fd;
	regs->r13 = request;
	if (sc->child_request) {
		regs->r14 = sc->child_request;
		regs->ip = stub + MACH_STUB_CLONE;
	} else {
		regs->ip = stub;
	}
	return sc->nr;		/* the stub's rax */
}

struct page *mach_stub_page_get(unsigned long addr)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct page *page = NULL;

	if (!mm)
		return NULL;
	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (vma && mach_stub_vma(vma)) {
		page = vma->vm_private_data;
		get_page(page);
	}
	mmap_read_unlock(mm);
	return page;
}

int mach_stub_fd(void)
{
	return current_pt_regs()->r12;
}

int mach_stub_init(void)
{
	mach_stub_home = shmem_file_setup("mach-stub", 0, MACH_SHMEM_NORESERVE);
	return PTR_ERR_OR_ZERO(mach_stub_home);
}

void mach_stub_exit(void)
{
	fput(mach_stub_home);
}
