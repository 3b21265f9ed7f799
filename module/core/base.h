/* SPDX-License-Identifier: GPL-2.0 */
/*
 * base.h - the core's vocabulary: Mach return codes, allocation through
 * the shim, intrusive references and scoped locks.
 */
#ifndef MACH_CORE_BASE_H
#define MACH_CORE_BASE_H

#include "shim.h"

namespace mach {

using u32 = mach_u32;
using s32 = mach_s32;
using u64 = mach_u64;
using size = mach_size;

/* kern_return_t values the core answers with (the anchors' numbers). */
enum class Kr : long {
	Success = 0,
	InvalidAddress = 1,
	ProtectionFailure = 2,
	NoSpace = 3,
	NoAccess = 8,
	InvalidArgument = 4,
	ResourceShortage = 6,
	Failure = 5,
	InvalidName = 15,
	InvalidTask = 16,
	InvalidRight = 17,
	UrefsOverflow = 19,
	InvalidCapability = 20,
	InvalidValue = 18,
	InvalidHost = 22,
	InvalidObject = 29,
	NameExists = 13,
	AlreadyInSet = 11,
	NotInSet = 12,
	RightExists = 21,
	NotSupported = 46,
	Denied = 53,
	Aborted = 14,
	InvalidSecurity = 35,
	Terminated = 37,
	NotWaiting = 48,
	OperationTimedOut = 49,
	SendInvalidData = 0x10000002,
	SendInvalidDest = 0x10000003,
	SendTimedOut = 0x10000004,
	SendInterrupted = 0x10000007,
	SendMsgTooSmall = 0x10000008,
	SendInvalidReply = 0x10000009,
	SendInvalidRight = 0x1000000a,
	SendInvalidHeader = 0x10000010,
	SendInvalidMemory = 0x1000000c,
	SendInvalidType = 0x1000000f,
	SendNoBuffer = 0x1000000d,
	SendTooLarge = 0x1000000e,
	RcvInvalidName = 0x10004002,
	RcvTimedOut = 0x10004003,
	RcvTooLarge = 0x10004004,
	RcvInterrupted = 0x10004005,
	RcvPortChanged = 0x10004006,
	RcvInvalidNotify = 0x10004007,
	RcvInvalidData = 0x10004008,
	RcvPortDied = 0x10004009,
	RcvHeaderError = 0x1000400b,
	RcvBodyError = 0x1000400c,
	RcvInvalidTrailer = 0x1000400f,
	/*
	 * Not the anchors': the port a call is made on is no kernel object's,
	 * so the call goes to it as a message (the ioctl says -EREMOTE, and
	 * libmach sends the MIG request). Never a kern_return_t of a reply.
	 */
	NotKernelObject = 0x7fff0001,
	/*
	 * Not the anchors' either: the name asked for is too far above the
	 * process's lowest free fd to be reached in place, so the right went
	 * in under a fresh name, for the process to move (port_call.cc).
	 */
	PlaceFar = 0x7fff0002,
	/* <mach/mig_errors.h>: a kernel object's answer to a bad request */
	MigTypeError = -300,
	MigBadId = -303,
	MigBadArguments = -304,
};

/* A port name: a file descriptor number; 0 is MACH_PORT_NULL. */
struct Name {
	u32 value;	/* a value: its holder's */
	static constexpr u32 null = 0;
	static constexpr u32 dead = ~0u;
	constexpr bool valid() const { return value != null && value != dead; }
	constexpr bool operator==(const Name &) const = default;
};

} /* namespace mach */

#if __STDC_HOSTED__
#include <new>	/* the host unit tests */
#else
/* Placement new, the only form the core uses; memory comes from make(). */
inline void *operator new(mach::size, void *where) noexcept { return where; }
#endif

namespace mach {

/* Construct a T in memory from the shim; nullptr when out of memory. */
template <typename T, typename... Args>
T *make(Args &&...args)
{
	void *p = mach_shim_alloc(T::kind, sizeof(T));
	return p ? new (p) T(static_cast<Args &&>(args)...) : nullptr;
}

template <typename T>
void destroy(T *obj)
{
	obj->~T();
	mach_shim_free(T::kind, obj);
}

/*
 * An owning pointer to a reference-counted object (T has get() and put()).
 * Moves transfer the reference; copies take a new one.
 */
template <typename T>
class Ref {
public:
	Ref() = default;
	/* Adopts a reference the caller already owns. */
	static Ref adopt(T *obj) { Ref r; r.obj_ = obj; return r; }
	/* Takes a new reference. */
	static Ref share(T *obj) { if (obj) obj->get(); return adopt(obj); }

	Ref(Ref &&o) : obj_(o.obj_) { o.obj_ = nullptr; }
	Ref &operator=(Ref &&o) { if (this != &o) { reset(); obj_ = o.obj_; o.obj_ = nullptr; } return *this; }
	Ref(const Ref &o) : obj_(o.obj_) { if (obj_) obj_->get(); }
	Ref &operator=(const Ref &o) { Ref copy(o); return *this = static_cast<Ref &&>(copy); }
	~Ref() { reset(); }

	void reset() { if (obj_) { T *o = obj_; obj_ = nullptr; o->put(); } }
	/* Gives the reference up to the caller. */
	T *release() { T *o = obj_; obj_ = nullptr; return o; }
	T *get() const { return obj_; }
	T *operator->() const { return obj_; }
	explicit operator bool() const { return obj_ != nullptr; }

private:
	T *obj_ = nullptr;	/* its holder's, guarded as the holder is */
};

/* A sleeping lock owned by an object; created fallibly, so check ok(). */
class Lock {
public:
	explicit Lock(mach_lock_class cls) : lock_(mach_shim_lock_create(cls)) {}
	~Lock() { if (lock_) mach_shim_lock_destroy(lock_); }
	Lock(const Lock &) = delete;
	Lock &operator=(const Lock &) = delete;
	bool ok() const { return lock_ != nullptr; }
	void lock() { mach_shim_lock_acquire(lock_); }
	bool lock_killable() { return mach_shim_lock_acquire_killable(lock_) == 0; }
	void unlock() { mach_shim_lock_release(lock_); }
	/* Checked where locks are proved (lockdep, the host's tests). */
	void assert_held()
	{
#ifdef MACH_CORE_CHECK_LOCKS
		mach_shim_lock_assert_held(lock_);
#endif
	}

private:
	mach_shim_lock *lock_;	/* set at construction, then read-only */
};

/* Holds a Lock or a SpinLock for its scope: Guard g(lock_). */
template <typename L>
class Guard {
public:
	explicit Guard(L &l) : l_(l) { l_.lock(); }
	~Guard() { l_.unlock(); }
	Guard(const Guard &) = delete;
	Guard &operator=(const Guard &) = delete;

private:
	L &l_;			/* immutable; the Guard is its holder's only */
};

/*
 * A spin lock owned by an object, for a few stores at a time (a
 * semaphore's count and waiters); created fallibly, so check ok().
 */
class SpinLock {
public:
	SpinLock() : lock_(mach_shim_spinlock_create()) {}
	~SpinLock() { if (lock_) mach_shim_spinlock_destroy(lock_); }
	SpinLock(const SpinLock &) = delete;
	SpinLock &operator=(const SpinLock &) = delete;
	bool ok() const { return lock_ != nullptr; }
	void lock() { mach_shim_spinlock_acquire(lock_); }
	void unlock() { mach_shim_spinlock_release(lock_); }
	void assert_held()
	{
#ifdef MACH_CORE_CHECK_LOCKS
		mach_shim_spinlock_assert_held(lock_);
#endif
	}
	/* For mach_shim_sleep_locked(), which lets it go while asleep. */
	mach_shim_spinlock *shim() { return lock_; }

private:
	mach_shim_spinlock *lock_;	/* set at construction, then read-only */
};

/*
 * Kernel memory a user made the module hold, counted against that user's
 * limit of one quota (shim.h) until it is freed or released. Whom it
 * counts against is bound once: the calling process's user, or a port's
 * owner; bound to no one (a kernel port's messages) it counts nothing.
 */
class Charge {
public:
	explicit Charge(mach_shim_quota quota) : quota_(quota) {}
	~Charge() { release(); }
	Charge(const Charge &) = delete;
	Charge &operator=(const Charge &) = delete;
	/* The calling process's user; false if there is no memory for it. */
	bool bind_current()
	{
		user_ = mach_shim_user_current();
		return user_ != nullptr;
	}
	/* user (null: no one), with a reference of the charge's own. */
	void bind(mach_shim_user *user)
	{
		if (user)
			mach_shim_user_get(user);
		user_ = user;
	}
	mach_shim_user *user() const { return user_; }
	/* amount more; false (nothing more counted) past the limit. */
	bool add(u64 amount)
	{
		if (!user_)
			return true;
		if (!mach_shim_user_charge(user_, quota_, amount))
			return false;
		amount_ += amount;
		return true;
	}
	/* Counts nothing from now on. */
	void release()
	{
		if (!user_)
			return;
		if (amount_)
			mach_shim_user_uncharge(user_, quota_, amount_);
		mach_shim_user_put(user_);
		user_ = nullptr;
		amount_ = 0;
	}

private:
	/* guarded as the object that holds the charge (its lock, or its owner's only) */
	mach_shim_user *user_ = nullptr;
	const mach_shim_quota quota_;	/* immutable */
	u64 amount_ = 0;
};

/* One refcount_t, through the shim. */
class RefCount {
public:
	RefCount() { mach_shim_ref_init(&ref_, 1); }
	void get() { mach_shim_ref_get(&ref_); }
	/* True when this was the last reference. */
	bool put() { return mach_shim_ref_put(&ref_); }
	/* A reference unless the object is going already. */
	bool get_not_zero() { return mach_shim_ref_get_not_zero(&ref_); }
	/* For diagnostics only: may change as soon as read. */
	u32 read() const { return mach_shim_ref_read(&ref_); }

private:
	mach_shim_ref ref_;	/* atomic (refcount_t) */
};

} /* namespace mach */

#endif /* MACH_CORE_BASE_H */
