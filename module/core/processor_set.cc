// SPDX-License-Identifier: GPL-2.0
#include "core.h"
#include "processor_set.h"
#include "thread_calls.h"

namespace mach {
namespace {

constexpr u32 pset_basic_info = 5;	/* PROCESSOR_SET_BASIC_INFO */
constexpr u32 policy_timeshare = 1;	/* POLICY_TIMESHARE */

bool is_pset(HostPort held)
{
	return held == HostPort::PsetName || held == HostPort::PsetControl;
}

/* A growing array of rights in kernel memory: dropped unless taken. */
class Rights {
public:
	Rights() = default;
	Rights(const Rights &) = delete;
	Rights &operator=(const Rights &) = delete;
	~Rights()
	{
		for (u32 i = 0; i < count_; i++)
			if (items_[i].port)
				items_[i].port->drop(items_[i]);
		if (items_)
			mach_shim_free(MACH_KIND_MEMORY, items_);
	}

	/* Room for n more; false if out of memory. */
	bool reserve(u32 n)
	{
		if (count_ + n <= room_)
			return true;
		u32 room = room_ * 2 > count_ + n ? room_ * 2 : count_ + n;
		auto *items = static_cast<TransitRight *>(
			mach_shim_alloc(MACH_KIND_MEMORY, sizeof(TransitRight) * room));
		if (!items)
			return false;
		for (u32 i = 0; i < count_; i++)
			items[i] = items_[i];
		if (items_)
			mach_shim_free(MACH_KIND_MEMORY, items_);
		items_ = items;
		room_ = room;
		return true;
	}
	void add(TransitRight right) { items_[count_++] = right; }
	u32 count() const { return count_; }
	/* Drops the rights added after the first n. */
	void truncate(u32 n)
	{
		for (; count_ > n; count_--)
			if (items_[count_ - 1].port)
				items_[count_ - 1].port->drop(items_[count_ - 1]);
	}
	TransitRight *tail() { return items_ + count_; }
	void grew(u32 n) { count_ += n; }

	void release(TransitRight **items, u32 *count)
	{
		*items = count_ ? items_ : nullptr;
		*count = count_;
		if (!count_ && items_)
			mach_shim_free(MACH_KIND_MEMORY, items_);
		items_ = nullptr;
		count_ = room_ = 0;
	}

private:
	TransitRight *items_ = nullptr;
	u32 count_ = 0;
	u32 room_ = 0;
};

/* task's port, as a new send right; false if it has none (it ended). */
bool add_task(Task &task, Rights &out)
{
	Ref<Port> port = task.port();
	if (!port)
		return true;
	if (!out.reserve(1))
		return false;
	port->make_send();
	out.add(TransitRight{port.release(), MoveSend});
	return true;
}

/* task's threads' ports; false if out of memory. */
bool add_threads(Task &task, Rights &out)
{
	u32 room = 16;
	for (;;) {
		if (!out.reserve(room))
			return false;
		u32 count = 0;
		Kr kr = thread_rights(task, out.tail(), room, &count);
		if (kr == Kr::Success) {
			out.grew(count);
			return true;
		}
		if (kr != Kr::NoSpace)
			return false;
		/* More than there was room for: what was taken is dropped, try again. */
		for (u32 i = 0; i < room; i++)
			if (out.tail()[i].port)
				out.tail()[i].port->drop(out.tail()[i]);
		room = count + 16;
	}
}

} /* namespace */

Kr processor_set_default(HostPort held, TransitRight *out)
{
	*out = {};
	if (held != HostPort::Host && held != HostPort::Priv)
		return Kr::InvalidArgument;
	*out = host_port(HostPort::PsetName);
	return out->port ? Kr::Success : Kr::Failure;
}

Kr processor_set_priv(HostPort held, HostPort pset, TransitRight *out)
{
	*out = {};
	if (held != HostPort::Priv || !is_pset(pset))
		return Kr::InvalidArgument;
	*out = host_port(HostPort::PsetControl);
	return out->port ? Kr::Success : Kr::Failure;
}

Kr processor_set_things(Task &caller, HostPort held, bool threads, TransitRight **rights,
			u32 *count)
{
	*rights = nullptr;
	*count = 0;
	if (held != HostPort::PsetControl)
		return Kr::InvalidArgument;
	constexpr u32 batch = 32;
	mach_task *tasks[batch];
	Rights out;
	bool ok = true;
	for (u64 cursor = 0;;) {
		u32 n = mach_shim_tasks_batch(&cursor, tasks, batch);
		for (u32 i = 0; i < n; i++) {
			Task &task = *Task::from(tasks[i]);
			bool mine = &task == &caller;
			u64 ticket = 0;
			/*
			 * XNU's per-task policy check; here Linux's for ptrace,
			 * on the program the process runs (an exec not seen yet
			 * renews the task's ports first). Ports taken while an
			 * exec came are the new program's, which the check did
			 * not see: dropped.
			 */
			if (ok && (mine || (task.program() &&
					    mach_shim_may_control(task.os(), &ticket)))) {
				u32 before = out.count();
				ok = threads ? add_threads(task, out) : add_task(task, out);
				if (ok && !mine && !mach_shim_task_ticket_holds(task.os(), ticket))
					out.truncate(before);
			}
			task.put();
		}
		if (n < batch)
			break;
	}
	if (!ok)
		return Kr::ResourceShortage;
	out.release(rights, count);
	return Kr::Success;
}

Kr processor_set_info(HostPort held, u32 flavor, u32 *out, u32 *count)
{
	if (!is_pset(held))
		return Kr::InvalidArgument;
	if (flavor != pset_basic_info)
		return Kr::InvalidArgument;
	if (*count < 2)
		return Kr::Failure;
	mach_host_load load{};
	mach_shim_host_load(&load);
	out[0] = load.cpus_online;	/* processor_count */
	out[1] = policy_timeshare;	/* default_policy */
	*count = 2;
	return Kr::Success;
}

} /* namespace mach */
