// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.c - /sys/kernel/debug/mach/tasks: every task object alive,
 * registered or not, with its references, threads and rights. A task the
 * registry has let go but something still holds shows here and nowhere
 * else: it is what a leak is read from (the fuzzer prints it when the
 * live counts do not come back after a round).
 */
#include <linux/debugfs.h>
#include <linux/pid.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "debugfs.h"
#include "task_os.h"

/* Tasks and names shown at most: a diagnostic, not a dump of a busy host. */
#define MACH_DEBUG_TASKS	256
#define MACH_DEBUG_NAMES	64

static struct dentry *mach_debug_dir;

static void mach_debug_show_task(struct seq_file *m, struct mach_task *task,
				 struct mach_port_view *names)
{
	struct mach_task_os *os = mach_task_os_of(task);
	struct pid *pid = READ_ONCE(os->pid);
	u32 i, count;

	count = mach_task_port_views(task, names, MACH_DEBUG_NAMES);
	/* Less the reference this walk holds. */
	seq_printf(m, "task pid %d registered %d shell %d ready %d end %u refs %u dying %d threads %u names %u sampled %d\n",
		   pid ? pid_nr(pid) : 0, READ_ONCE(os->registered), os->shell,
		   READ_ONCE(os->ready), READ_ONCE(os->end_reason),
		   mach_task_refs(task) - 1, mach_task_dying(task),
		   mach_task_thread_count(task), count, READ_ONCE(os->sampler) != NULL);
	for (i = 0; i < min_t(u32, count, MACH_DEBUG_NAMES); i++)
		seq_printf(m, "  name %u type %#x urefs %u msgs %u kernel %u object %u\n",
			   names[i].name, names[i].type, names[i].urefs,
			   names[i].msgcount, names[i].kernel, names[i].object);
}

static int mach_debug_tasks_show(struct seq_file *m, void *unused)
{
	struct mach_port_view *names;
	struct mach_task **tasks;
	unsigned int i, n;

	tasks = kcalloc(MACH_DEBUG_TASKS, sizeof(*tasks), GFP_KERNEL);
	names = kcalloc(MACH_DEBUG_NAMES, sizeof(*names), GFP_KERNEL);
	if (!tasks || !names) {
		kfree(tasks);
		kfree(names);
		return -ENOMEM;
	}
	n = mach_tasks_all(tasks, MACH_DEBUG_TASKS);
	seq_printf(m, "tasks %ld shown %u\n", mach_tasks_live(), n);
	for (i = 0; i < n; i++) {
		mach_debug_show_task(m, tasks[i], names);
		mach_task_put(tasks[i]);
	}
	kfree(names);
	kfree(tasks);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mach_debug_tasks);

void mach_debugfs_init(void)
{
	/* Diagnostics only: the module works without them. */
	mach_debug_dir = debugfs_create_dir("mach", NULL);
	debugfs_create_file("tasks", 0400, mach_debug_dir, NULL,
			    &mach_debug_tasks_fops);
}

void mach_debugfs_exit(void)
{
	debugfs_remove_recursive(mach_debug_dir);
}
