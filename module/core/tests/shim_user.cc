// SPDX-License-Identifier: GPL-2.0
// shim_user.cc - the core's host, in userspace, for the unit tests.
#include "shim_user.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>
#include <vector>
#include <sys/mman.h>

#include "../core.h"
#include "../task.h"
#include "../uapi.h"
#include "../usercopy.h"

struct mach_shim_lock {
	std::mutex mutex;
	std::thread::id owner;		// for mach_shim_lock_assert_held()
};

struct mach_shim_file {
	mach_port *port;
	int refs;
};

namespace {

long live_objects[MACH_KIND_COUNT];
long files;
std::map<int, mach_shim_file *> fd_table;
int fd_install_error;
int allocations_until_failure;
unsigned char *user_base;
mach_size user_size;

bool user_range_ok(mach_u64 uaddr, mach_size size)
{
	if (uaddr < 4096)
		return false;
	if (!user_base)
		return true;
	mach_u64 base = reinterpret_cast<mach_u64>(user_base);
	return uaddr >= base && size <= user_size && uaddr - base <= user_size - size;
}
mach_shim_file unrelated{nullptr, 1};

} // namespace

namespace shim_user {

mach_shim_vm_request last_vm;
int next_vm_error;
int next_teleport_end_error;
int next_sample_error;
bool threads_cloned_later;
int next_spawn_error;
int next_thread_clone;
int thread_clones;

long live(mach_shim_kind kind) { return live_objects[kind]; }
long live_files() { return files; }

void close_fd(int fd)
{
	auto it = fd_table.find(fd);
	if (it == fd_table.end())
		return;
	mach_shim_file *file = it->second;
	fd_table.erase(it);
	if (file != &unrelated)
		mach_shim_file_put(file);
}

void replace_fd(int fd)
{
	close_fd(fd);
	fd_table[fd] = &unrelated;
}

bool fd_open(int fd) { return fd_table.count(fd) != 0; }
void fail_fd_install(int err) { fd_install_error = err; }
void fail_nth_allocation(int n) { allocations_until_failure = n; }

void set_user_memory(void *base, mach_size size)
{
	user_base = static_cast<unsigned char *>(base);
	user_size = size;
}

// Tasks "spawned" live as their processes would, until reset() ends them.
std::vector<mach_task *> spawned;

bool privileged = true;
int last_tid;
int guard_exceptions;
mach_u64 guard_code, guard_subcode;
mach_u32 port_destroyed_waiters, port_destroyed_queued;

// One user, whose record lives as long as the test binary.
mach_u64 user_limit[MACH_QUOTA_COUNT] = {~0ull, ~0ull};
mach_u64 used[MACH_QUOTA_COUNT];

mach_u64 user_used(mach_shim_quota quota) { return used[quota]; }

void reset()
{
	for (mach_task *task : spawned) {
		mach_task_terminate(task);
		mach_task_put(task);
	}
	spawned.clear();
	port_destroyed_waiters = port_destroyed_queued = 0;
	while (!fd_table.empty())
		close_fd(fd_table.begin()->first);
	fd_install_error = 0;
	allocations_until_failure = 0;
	privileged = true;
	next_teleport_end_error = 0;
	next_sample_error = 0;
	threads_cloned_later = false;
	next_spawn_error = 0;
	next_thread_clone = thread_clones = 0;
	user_limit[MACH_QUOTA_PORTS] = user_limit[MACH_QUOTA_MESSAGE_BYTES] = ~0ull;
}

} // namespace shim_user

struct mach_shim_user {};

extern "C" {

mach_shim_user *mach_shim_user_current(void)
{
	static mach_shim_user the_user;
	return &the_user;
}

void mach_shim_user_get(mach_shim_user *) {}
void mach_shim_user_put(mach_shim_user *) {}

mach_bool mach_shim_user_charge(mach_shim_user *, mach_shim_quota quota, mach_u64 amount)
{
	using namespace shim_user;
	if (amount > user_limit[quota] - used[quota])
		return false;
	used[quota] += amount;
	return true;
}

void mach_shim_user_uncharge(mach_shim_user *, mach_shim_quota quota, mach_u64 amount)
{
	shim_user::used[quota] -= amount;
}

int mach_shim_cache_create(mach_shim_kind, mach_size)
{
	return 0;	/* calloc() serves every kind */
}

void *mach_shim_alloc(mach_shim_kind kind, mach_size size)
{
	if (allocations_until_failure > 0 && --allocations_until_failure == 0)
		return nullptr;
	void *p = calloc(1, size);
	if (p)
		live_objects[kind]++;
	return p;
}

void mach_shim_free(mach_shim_kind kind, void *p)
{
	live_objects[kind]--;
	free(p);
}

mach_shim_lock *mach_shim_lock_create(mach_lock_class)
{
	void *p = mach_shim_alloc(MACH_KIND_MEMORY, sizeof(mach_shim_lock));
	return p ? new (p) mach_shim_lock : nullptr;
}

void mach_shim_lock_destroy(mach_shim_lock *lock)
{
	lock->~mach_shim_lock();
	mach_shim_free(MACH_KIND_MEMORY, lock);
}

void mach_shim_lock_acquire(mach_shim_lock *lock)
{
	lock->mutex.lock();
	lock->owner = std::this_thread::get_id();
}
int mach_shim_lock_acquire_killable(mach_shim_lock *lock)
{
	mach_shim_lock_acquire(lock);
	return 0;
}
void mach_shim_lock_release(mach_shim_lock *lock)
{
	lock->owner = std::thread::id{};
	lock->mutex.unlock();
}
// As lockdep_assert_held(): a function that needs the lock was called without.
void mach_shim_lock_assert_held(mach_shim_lock *lock)
{
	if (lock->owner != std::this_thread::get_id()) {
		fprintf(stderr, "lock not held\n");
		abort();
	}
}

// Single-threaded tests: a wait either finds the condition or times out.
struct mach_shim_waitq {
	int unused;
};

mach_shim_waitq *mach_shim_waitq_create(void)
{
	return static_cast<mach_shim_waitq *>(
		mach_shim_alloc(MACH_KIND_MEMORY, sizeof(mach_shim_waitq)));
}

void mach_shim_waitq_destroy(mach_shim_waitq *q) { mach_shim_free(MACH_KIND_MEMORY, q); }
void mach_shim_waitq_wake(mach_shim_waitq *) {}
void mach_shim_waitq_wake_peer(mach_shim_waitq *) {}

int mach_shim_waitq_wait(mach_shim_waitq *, mach_bool (*ready)(void *), void *arg,
			 mach_u64)
{
	return ready(arg) ? 0 : -MACH_ETIMEDOUT;
}

// One thread: nothing can come while it waits; taken for a kill.
int mach_shim_waitq_wait_killable(mach_shim_waitq *, mach_bool (*ready)(void *), void *arg)
{
	return ready(arg) ? 0 : -MACH_EINTR;
}

int mach_shim_copy_in(void *dst, mach_u64 uaddr, mach_size size)
{
	if (!user_range_ok(uaddr, size))
		return -MACH_EFAULT;
	memcpy(dst, reinterpret_cast<const void *>(uaddr), size);
	return 0;
}

int mach_shim_vm_allocate(mach_u64 size, mach_u64 *uaddr)
{
	if (user_base)
		return -MACH_ENOMEM;	// confined: no memory outside the arena
	void *p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -MACH_ENOMEM;
	*uaddr = reinterpret_cast<mach_u64>(p);
	return 0;
}

void mach_shim_vm_deallocate(mach_u64 uaddr, mach_u64 size)
{
	if (user_base)
		return;		// confined: the arena stays
	mach_u64 start = uaddr & ~4095ull;
	munmap(reinterpret_cast<void *>(start), ((uaddr + size + 4095) & ~4095ull) - start);
}

void mach_shim_current_tokens(mach_u32 security[2], mach_u32 audit[8])
{
	security[0] = 1000;
	security[1] = 1001;
	for (int i = 0; i < 8; i++)
		audit[i] = 100 + i;
}

mach_bool mach_shim_privileged(void)
{
	return shim_user::privileged;
}

mach_bool mach_shim_task_privileged(mach_task_os *)
{
	return shim_user::privileged;
}

mach_u64 mach_shim_page_size(void)
{
	return 4096;
}

mach_u32 mach_shim_kernel_version(char *out, mach_u32 room)
{
	return snprintf(out, room, "Linux 6.1.0 #1 SMP x86_64\n") + 1;
}

mach_u64 mach_shim_user_address_end(void)
{
	return 0x00007ffffffff000ull;	// x86_64 with 4-level page tables
}

void mach_shim_host_facts(mach_host_facts *facts)
{
	*facts = { 4, 2, 3ull << 30, 2, 2 };
}

// A host of two CPUs of four possible, loaded 1.5 (1536 / 2048) each minute.
void mach_shim_host_load(mach_host_load *load)
{
	*load = { {3072, 2048, 1024}, 2, 4 };
}

void mach_shim_host_vm(mach_host_vm *vm)
{
	*vm = { 1000, 100, 300, 200, 350, 150, 5000, 50, 7, 9, 11 };
}

mach_u32 mach_shim_cpu_ids(void)
{
	return 4;
}

// CPUs 0 and 2 exist, 0 online; each has run 1 s of each state per id + 1.
mach_bool mach_shim_cpu_times(mach_u32 cpu, mach_cpu_times *out, mach_bool *online)
{
	if (cpu != 0 && cpu != 2)
		return false;
	mach_u64 ns = (cpu + 1) * 1000000000ull;
	*out = { ns, ns, ns, ns };
	*online = cpu == 0;
	return true;
}

mach_u64 mach_shim_clock_ns(enum mach_shim_clock clock)
{
	return clock == MACH_CLOCK_REALTIME ? 1700000000123456789ull : 5000000007ull;
}

mach_u32 mach_shim_tasks_batch(mach_u64 *, mach_task **, mach_u32)
{
	return 0;	// the unit tests make their tasks by hand: none listed
}

mach_bool mach_shim_may_control(mach_task_os *, mach_u64 *ticket)
{
	*ticket = 1;
	return true;
}

std::mutex transit;
void mach_shim_transit_lock(void) { transit.lock(); }
void mach_shim_transit_unlock(void) { transit.unlock(); }

void mach_shim_ref_init(mach_shim_ref *ref, int n) { ref->value = n; }

void mach_shim_ref_get(mach_shim_ref *ref)
{
	if (__atomic_fetch_add(&ref->value, 1, __ATOMIC_RELAXED) <= 0)
		abort();	// refcount_t would warn: increment on zero
}

bool mach_shim_ref_put(mach_shim_ref *ref)
{
	int old = __atomic_fetch_sub(&ref->value, 1, __ATOMIC_ACQ_REL);
	if (old <= 0)
		abort();	// underflow
	return old == 1;
}

mach_u32 mach_shim_ref_read(const mach_shim_ref *ref)
{
	return (mach_u32)__atomic_load_n(&ref->value, __ATOMIC_RELAXED);
}

bool mach_shim_ref_get_not_zero(mach_shim_ref *ref)
{
	int old = __atomic_load_n(&ref->value, __ATOMIC_RELAXED);

	while (old > 0)
		if (__atomic_compare_exchange_n(&ref->value, &old, old + 1, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			return true;
	return false;
}

int mach_shim_copy_out(mach_u64 uaddr, const void *src, mach_size size)
{
	if (!user_range_ok(uaddr, size))
		return -MACH_EFAULT;
	memcpy(reinterpret_cast<void *>(uaddr), src, size);
	return 0;
}

// The kernel's copy by words: here, the same as the others.
int mach_small_copy_out(mach_u64 uaddr, const void *src, mach_u32 size)
{
	return mach_shim_copy_out(uaddr, src, size);
}

int mach_small_copy_in(void *dst, mach_u64 uaddr, mach_u32 size)
{
	return mach_shim_copy_in(dst, uaddr, size);
}

// It takes over the caller's reference on port, as the kernel's does.
mach_shim_file *mach_shim_file_create(mach_port *port)
{
	files++;
	return new mach_shim_file{port, 1};
}

int mach_shim_fd_install(mach_shim_file *file)
{
	if (fd_install_error) {
		int err = fd_install_error;
		fd_install_error = 0;
		return -err;
	}
	int fd = 3;
	while (fd_table.count(fd))
		fd++;
	file->refs++;
	fd_table[fd] = file;
	return fd;
}

int mach_shim_fd_install_at(int fd, mach_shim_file *file)
{
	if (fd < 3 || fd_table.count(fd))
		return -MACH_EBUSY;
	file->refs++;
	fd_table[fd] = file;
	return fd;
}

int mach_shim_task_dup_fd(mach_task_os *, mach_u64, int fd, int min)
{
	auto it = fd_table.find(fd);
	if (it == fd_table.end() || min < 0)
		return -MACH_EBADF;
	int got = min < 3 ? 3 : min;
	while (fd_table.count(got))
		got++;
	it->second->refs++;
	fd_table[got] = it->second;
	return got;
}

void mach_shim_file_get(mach_shim_file *file)
{
	file->refs++;
}

mach_bool mach_shim_fd_is(int fd, const mach_shim_file *file)
{
	auto it = fd_table.find(fd);
	return it == fd_table.end() ? file == nullptr : it->second == file;
}

void mach_shim_fd_close(int fd) { shim_user::close_fd(fd); }

void mach_shim_file_put(mach_shim_file *file)
{
	if (--file->refs == 0) {
		if (file->port)
			mach_port_put(file->port);
		delete file;
		files--;
	}
}

mach_bool mach_shim_task_stats(mach_task_os *os, unsigned int want,
			       mach_task_stats *stats)
{
	if (!os->alive)
		return false;
	// Only what was asked for, as the kernel does.
	if (want & MACH_STATS_MEMORY) {
		stats->virtual_bytes = os->stats.virtual_bytes;
		stats->resident_bytes = os->stats.resident_bytes;
		stats->resident_max_bytes = os->stats.resident_max_bytes;
	}
	if (want & MACH_STATS_DEAD_TIMES) {
		stats->dead_user_ns = os->stats.dead_user_ns;
		stats->dead_system_ns = os->stats.dead_system_ns;
	}
	if (want & MACH_STATS_LIVE_TIMES) {
		stats->live_user_ns = os->stats.live_user_ns;
		stats->live_system_ns = os->stats.live_system_ns;
	}
	if (want & MACH_STATS_EVENTS) {
		stats->minor_faults = os->stats.minor_faults;
		stats->major_faults = os->stats.major_faults;
		stats->switches = os->stats.switches;
	}
	if ((want & MACH_STATS_VM) && (want & MACH_STATS_MEMORY)) {
		stats->anon_bytes = os->stats.anon_bytes;
		stats->shmem_bytes = os->stats.shmem_bytes;
		stats->file_bytes = os->stats.file_bytes;
		stats->swap_bytes = os->stats.swap_bytes;
		stats->min_address = os->stats.min_address;
		stats->max_address = os->stats.max_address;
		stats->regions = os->stats.regions;
	}
	if (want & MACH_STATS_ABI)
		stats->lp64 = os->stats.lp64;
	if (want & MACH_STATS_TOKENS) {
		memcpy(stats->security, os->stats.security, sizeof(stats->security));
		memcpy(stats->audit, os->stats.audit, sizeof(stats->audit));
	}
	return true;
}

void mach_shim_task_free(mach_task_os *os)
{
	if (os->freed)
		*os->freed = true;
	if (os->owned)
		delete os;
}

// A new task as the kernel's shell would make it: no process, a space.
int mach_shim_task_prepare(const mach_task_plan *plan, mach_task_os **made)
{
	if (plan->credentials && (plan->uid == ~0u || plan->gid == ~0u))
		return -MACH_EINVAL;	// not an id, as in the kernel
	auto *os = new mach_task_os;
	os->current = false;
	os->owned = true;
	os->plan = *plan;
	if (plan->node >= 0)
		os->node = plan->node;
	if (plan->credentials) {
		os->has_credentials = true;
		os->uid = plan->uid;
		os->gid = plan->gid;
	}
	*made = os;
	return 0;
}

void mach_shim_task_created(mach_task_os *, mach_task *) {}

mach_bool mach_shim_node_usable(mach_u32 node)
{
	return node < 2;	// two nodes, as in the test VM
}

mach_bool mach_shim_task_memory_private(mach_task_os *, mach_u64)
{
	return true;
}

int mach_shim_task_teleport_end(mach_task_os *parent, mach_u64, mach_task *)
{
	int err = shim_user::next_teleport_end_error;

	shim_user::next_teleport_end_error = 0;
	if (err)
		return err;
	parent->killed = true;
	return 0;
}

int mach_shim_task_spawn(mach_task_os *, mach_u64, mach_task *child)
{
	int err = shim_user::next_spawn_error;

	shim_user::next_spawn_error = 0;
	if (err)
		return err;
	mach_task_get(child);	// the registry's reference, as in the kernel
	shim_user::spawned.push_back(child);
	return 0;
}

int mach_shim_task_sample(mach_task_os *os, mach_u64)
{
	int err = shim_user::next_sample_error;

	shim_user::next_sample_error = 0;
	os->sample_syncs++;
	return err;
}

void mach_shim_task_sample_flush(mach_task_os *) {}

// An exec the test set up (os->exec) is seen by the next look.
mach_u64 mach_shim_task_program_look(mach_task_os *os, mach_exec_seen *exec)
{
	*exec = os->exec;
	if (os->exec != MACH_EXEC_NONE)
		os->program++;
	os->exec = MACH_EXEC_NONE;
	return os->alive ? os->program : 0;
}

mach_u64 mach_shim_task_program_seen(mach_task_os *os)
{
	return os->alive ? os->program : 0;
}

mach_bool mach_shim_task_ready(mach_task_os *)
{
	return true;
}

mach_bool mach_shim_task_wait_ready(mach_task_os *)
{
	return true;
}

// Memory objects: a count of references, freed at zero.
struct mach_vm_object {
	int refs = 1;
};

int mach_shim_vm(mach_task_os *, mach_shim_vm_request *req)
{
	shim_user::last_vm = *req;
	if (req->op == MACH_VM_ALLOCATE)
		req->address = req->anywhere ? 0x10000 : req->start;
	int err = shim_user::next_vm_error;
	shim_user::next_vm_error = 0;
	// An entry made is the object that maps the range, as the kernel's.
	if (req->op == MACH_VM_MAKE_ENTRY && !err) {
		req->object = new mach_vm_object;
		req->offset = 0;
	}
	return err;
}

int mach_shim_vm_object_create(mach_u64, mach_vm_object **object)
{
	*object = new mach_vm_object;
	return 0;
}

void mach_shim_vm_object_get(mach_vm_object *object)
{
	object->refs++;
}

void mach_shim_vm_object_put(mach_vm_object *object)
{
	if (!--object->refs)
		delete object;
}

// Threads: a parked thread that only remembers its state.
struct mach_thread_os {
	int holds = 1;
	bool parked = true;
	bool current = false;
	bool killed = false;
	bool aborted = false;
	mach_u64 regs[21] = {};
	int tid = ++shim_user::last_tid;
	int nice = 0;
	mach_fault *fault = nullptr;
};

mach_thread_os *mach_shim_thread_create(mach_task_os *os, mach_u64, mach_bool later, int *err)
{
	if (later && os->current && shim_user::threads_cloned_later)
		*err = MACH_LATER;
	return new mach_thread_os;
}

int mach_shim_thread_clone(mach_task_os *, mach_thread_os *)
{
	int err = shim_user::next_thread_clone;

	shim_user::thread_clones++;
	shim_user::next_thread_clone = 0;
	return err;
}

void mach_shim_thread_free(mach_thread_os *thread)
{
	delete thread;
}

int mach_shim_thread_get_state(mach_thread_os *thread, mach_u64 *regs)
{
	memcpy(regs, thread->regs, sizeof(thread->regs));
	return 0;
}

int mach_shim_thread_get_fpu(mach_thread_os *, void *fxsave)
{
	memset(fxsave, 0, 512);
	return 0;
}

int mach_shim_thread_set_fpu(mach_thread_os *, const void *)
{
	return 0;
}

int mach_shim_thread_get_exception(mach_thread_os *, mach_u32 *words)
{
	memset(words, 0, 4 * sizeof(*words));
	return 0;
}

int mach_shim_thread_set_state(mach_thread_os *thread, const mach_u64 *regs)
{
	memcpy(thread->regs, regs, sizeof(thread->regs));
	return 0;
}

void mach_shim_thread_abort(mach_thread_os *thread)
{
	thread->aborted = true;
}

// The host's process has no other threads to adopt.
mach_u32 mach_shim_thread_adopt_others(mach_task_os *, mach_thread_os **, mach_u32)
{
	return 0;
}

// The host's process is its own agent.
int mach_shim_task_agent_wait(mach_task_os *)
{
	return 0;
}

// Nor does any thread of it leave through a stub.
void mach_shim_task_detours_wait(mach_task_os *)
{
}

mach_thread_os *mach_shim_thread_adopt(mach_task_os *)
{
	auto *t = new mach_thread_os;
	t->holds = 0;
	t->parked = false;
	t->current = true;
	return t;
}

mach_bool mach_shim_thread_is_current(mach_thread_os *thread)
{
	return thread->current;
}

mach_bool mach_shim_thread_gone(mach_thread_os *thread)
{
	return thread->killed;
}

mach_s32 mach_shim_thread_tid(mach_thread_os *thread)
{
	return thread->tid;
}

// Host threads are records only: a held one is as good as stopped.
mach_bool mach_shim_thread_quiet(mach_thread_os *thread)
{
	return thread->parked || thread->holds || thread->killed;
}

int mach_shim_thread_wait_quiet(mach_thread_os *, mach_u32)
{
	return 0;
}

void mach_shim_thread_set_quiescing(mach_thread_os *, mach_bool)
{
}

void mach_shim_thread_stats(mach_thread_os *thread, mach_thread_stats *stats)
{
	stats->user_ns = 1500000000;
	stats->system_ns = 2000;
	stats->run_state = thread->parked ? 2 : 1;
}

void mach_shim_thread_hold(mach_thread_os *thread)
{
	thread->holds++;
	thread->parked = true;
}

void mach_shim_thread_release(mach_thread_os *thread)
{
	if (--thread->holds == 0)
		thread->parked = false;
}

// A held record is as good as stopped; the calling thread needs no stop.
int mach_shim_thread_stop(mach_thread_os *thread, mach_bool *held)
{
	*held = false;
	if (thread->current || thread->fault)
		return 0;
	if (thread->killed)
		return -MACH_ESRCH;
	mach_shim_thread_hold(thread);
	*held = true;
	return 0;
}

void mach_shim_thread_identity(mach_thread_os *thread, mach_thread_identity *identity)
{
	*identity = {};
	identity->handle = 0x7000000000ull + thread->tid;
	memcpy(identity->name, "host-thread", 12);
}

// Host threads have a nice value, and no other scheduling.
int mach_shim_thread_sched_get(mach_thread_os *thread, mach_thread_sched *sched)
{
	*sched = {};
	sched->nice = thread->nice;
	return thread->killed ? -MACH_ESRCH : 0;
}

int mach_shim_thread_set_nice(mach_thread_os *thread, mach_s32 nice)
{
	thread->nice = nice;
	return 0;
}

int mach_shim_thread_set_sched(mach_thread_os *, const mach_thread_sched *)
{
	return -MACH_EPERM;
}

void mach_shim_thread_abort_safely(mach_thread_os *)
{
}

void mach_shim_thread_kill(mach_thread_os *thread)
{
	thread->killed = true;
}

void mach_shim_thread_fault_begin(mach_thread_os *thread, mach_fault *fault)
{
	thread->fault = fault;
}

void mach_shim_thread_fault_end(mach_thread_os *thread)
{
	thread->fault = nullptr;
}

void mach_shim_task_arm_exceptions(mach_task_os *)
{
}

void mach_shim_tasks_arm_exceptions()
{
}

void mach_shim_guard_exception(mach_u64 code, mach_u64 subcode)
{
	shim_user::guard_exceptions++;
	shim_user::guard_code = code;
	shim_user::guard_subcode = subcode;
}

mach_bool mach_shim_thread_in_fault(mach_thread_os *thread)
{
	return thread->fault != nullptr;
}

// The host's tests have one process: the "agent" runs fn right here.
int mach_shim_task_call(mach_task_os *, mach_u64, void (*fn)(void *),
			void (*)(void *), void *arg, mach_size)
{
	fn(arg);
	return 0;
}

int mach_shim_task_pid(mach_task_os *os)
{
	return os->current ? 1 : 2;
}

void mach_shim_task_unnamed(mach_task_os *) {}
void mach_shim_task_event(mach_task_os *, mach_shim_event, mach_u32) {}

// No processes here to find by pid.
int mach_shim_task_for_pid(mach_s32, mach_bool, mach_task **task, mach_u64 *ticket)
{
	*task = nullptr;
	*ticket = 0;
	return -MACH_ESRCH;
}

mach_bool mach_shim_task_ticket_holds(mach_task_os *, mach_u64) { return true; }

void mach_shim_task_set_name(mach_task_os *, const char *, mach_u64) {}

// The kernel's worker runs later; a test runs it (mach_task_resume_dropped()).
mach_bool mach_shim_task_resume_later(mach_task_os *os)
{
	// Nothing is queued: the core keeps no reference for a worker.
	os->resume_laters++;
	return false;
}

void mach_shim_port_destroyed(mach_u32 waiters, mach_u32 queued)
{
	shim_user::port_destroyed_waiters += waiters;
	shim_user::port_destroyed_queued += queued;
}

int mach_shim_task_kill(mach_task_os *os, mach_u64)
{
	os->killed = true;
	os->alive = false;
	return 0;
}

mach_bool mach_shim_task_is_current(const mach_task_os *os)
{
	return os->current;
}

} // extern "C"

// Semaphores' lock and waits: one thread, so a wait that sleeps times out.
struct mach_shim_spinlock {
	bool held;
};
mach_shim_spinlock *mach_shim_spinlock_create(void)
{
	auto *lock = static_cast<mach_shim_spinlock *>(
		mach_shim_alloc(MACH_KIND_MEMORY, sizeof(mach_shim_spinlock)));
	if (lock)
		lock->held = false;
	return lock;
}
void mach_shim_spinlock_destroy(mach_shim_spinlock *lock) { mach_shim_free(MACH_KIND_MEMORY, lock); }
void mach_shim_spinlock_acquire(mach_shim_spinlock *lock)
{
	if (lock->held) {
		fprintf(stderr, "spin lock taken twice\n");
		abort();
	}
	lock->held = true;
}
void mach_shim_spinlock_release(mach_shim_spinlock *lock) { lock->held = false; }
void mach_shim_spinlock_assert_held(mach_shim_spinlock *lock)
{
	if (!lock->held) {
		fprintf(stderr, "spin lock not held\n");
		abort();
	}
}
int mach_shim_sleep_locked(mach_shim_spinlock *lock, const mach_bool *, mach_u64)
{
	mach_shim_spinlock_assert_held(lock);
	return -MACH_ETIMEDOUT;
}
mach_shim_peer *mach_shim_wake_thread(const void *, mach_bool) { return nullptr; }
void mach_shim_note_peer(mach_shim_peer *) {}
void mach_shim_forget_peer(void) {}
void mach_shim_sort_u32(mach_u32 *words, mach_u32 n)
{
	if (n < 2)
		return;	/* words may be null */
	std::qsort(words, n, sizeof(*words), [](const void *a, const void *b) {
		mach_u32 x = *static_cast<const mach_u32 *>(a), y = *static_cast<const mach_u32 *>(b);
		return x < y ? -1 : x > y;
	});
}

mach_u64 mach_shim_now_ns(void)
{
	static mach_u64 now;
	return now += 1000;
}
const void *mach_shim_current_id(void)
{
	static thread_local char self;
	return &self;
}
const void *mach_shim_thread_id(mach_thread_os *thread)
{
	return thread;
}
