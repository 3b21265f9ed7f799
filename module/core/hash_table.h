/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hash_table.h - an open-addressing hash table for the core's indexes.
 *
 * Linear probing with backward-shift deletion (no tombstones), capacity a
 * power of two kept at most half full. Keys are integers or pointers whose
 * zero value is never a key (MACH_PORT_NULL, nullptr); values are plain
 * data. Memory comes from the shim, so insert() can fail and says so.
 */
#ifndef MACH_CORE_HASH_TABLE_H
#define MACH_CORE_HASH_TABLE_H

#include "base.h"

namespace mach {

inline u32 hash_key(u32 k) { return k * 0x9e3779b9u; }
inline u32 hash_key(const void *p)
{
	return static_cast<u32>((reinterpret_cast<__UINTPTR_TYPE__>(p) * 0x9e3779b97f4a7c15ull) >> 32);
}

template <typename K, typename V>
class HashTable {
public:
	HashTable() = default;
	HashTable(const HashTable &) = delete;
	HashTable &operator=(const HashTable &) = delete;
	~HashTable() { release(); }

	u32 count() const { return count_; }

	V *find(K key)
	{
		if (!slots_ || key == K{})	/* the empty key is never a member */
			return nullptr;
		for (u32 i = home(key);; i = (i + 1) & mask_) {
			if (slots_[i].key == key)
				return &slots_[i].value;
			if (slots_[i].key == K{})
				return nullptr;
		}
	}

	/* False, and nothing changed, if key is empty or present, or memory ran out. */
	bool insert(K key, const V &value)
	{
		if (key == K{} || find(key))
			return false;
		if ((count_ + 1) * 2 > capacity() && !grow())
			return false;
		place(key, value);
		count_++;
		return true;
	}

	void erase(K key)
	{
		if (!slots_ || key == K{})
			return;
		u32 i = home(key);
		while (slots_[i].key != key) {
			if (slots_[i].key == K{})
				return;
			i = (i + 1) & mask_;
		}
		/* Shift later members of the probe run back into the hole. */
		for (u32 j = (i + 1) & mask_; slots_[j].key != K{}; j = (j + 1) & mask_) {
			u32 h = home(slots_[j].key);
			bool movable = i <= j ? (h <= i || h > j) : (h <= i && h > j);
			if (movable) {
				slots_[i] = slots_[j];
				i = j;
			}
		}
		slots_[i] = Slot{};
		count_--;
	}

	/* Calls fn(key, value&) for every member; fn must not modify the table. */
	template <typename Fn>
	void for_each(Fn fn)
	{
		for (u32 i = 0; slots_ && i <= mask_; i++)
			if (slots_[i].key != K{})
				fn(slots_[i].key, slots_[i].value);
	}

	void clear() { release(); }

private:
	struct Slot {		/* guarded as the table is */
		K key;
		V value;
	};

	u32 capacity() const { return slots_ ? mask_ + 1 : 0; }
	u32 home(K key) const { return hash_key(key) & mask_; }

	void place(K key, const V &value)
	{
		u32 i = home(key);
		while (slots_[i].key != K{})
			i = (i + 1) & mask_;
		slots_[i] = Slot{key, value};
	}

	bool grow()
	{
		u32 cap = capacity() ? capacity() * 2 : 8;
		if (cap == 0)
			return false;
		auto *fresh = static_cast<Slot *>(mach_shim_alloc(MACH_KIND_MEMORY, sizeof(Slot) * cap));
		if (!fresh)
			return false;
		Slot *old = slots_;
		u32 old_cap = capacity();
		slots_ = fresh;
		mask_ = cap - 1;
		for (u32 i = 0; i < old_cap; i++)
			if (old[i].key != K{})
				place(old[i].key, old[i].value);
		if (old)
			mach_shim_free(MACH_KIND_MEMORY, old);
		return true;
	}

	void release()
	{
		if (slots_)
			mach_shim_free(MACH_KIND_MEMORY, slots_);
		slots_ = nullptr;
		mask_ = 0;
		count_ = 0;
	}

	/* no lock of its own: guarded by its holder's (Space: its lock_) */
	Slot *slots_ = nullptr;
	u32 mask_ = 0;
	u32 count_ = 0;
};

} /* namespace mach */

#endif /* MACH_CORE_HASH_TABLE_H */
