// SPDX-License-Identifier: GPL-2.0
/*
 * machctl - the operator's view of Mach tasks on this host, over the
 * generic netlink family "mach" (uapi/mach/netlink.h) with libnl-genl-3.
 *
 *   machctl [--json] host | nodes | tasks | threads PID | ports PID | watch
 *   machctl suspend | resume | terminate PID
 *
 * Exit status: 0, 1 on an error the kernel gave (no module, no such
 * task, no permission), 2 on a usage error.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <mach/netlink.h>

#include <string>
#include <vector>

namespace {

bool json = false;

struct Node {
	uint32_t id = 0, cpus = 0;
	uint64_t mem = 0;
};

/* One message of an answer: its attributes by type, nests flattened. */
struct Record {
	uint64_t v[MACH_A_MAX + 1] = {};
	bool has[MACH_A_MAX + 1] = {};
	uint64_t stat[MACH_A_STAT_MAX + 1] = {};
	bool has_stat[MACH_A_STAT_MAX + 1] = {};
	std::vector<uint32_t> security, audit;
	std::vector<Node> nodes;
	uint64_t rights[MACH_A_RIGHTS_MAX + 1] = {};
	uint64_t req[MACH_A_REQ_MAX + 1] = {};
};

/* A nest of u64 counters into out[type] (types up to max). */
void parse_counts(nlattr *nest, uint64_t *out, int max)
{
	nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		int t = nla_type(a);
		if (t > 0 && t <= max && nla_len(a) == 8)
			out[t] = nla_get_u64(a);
	}
}

struct Answer {
	std::vector<Record> records;
	int error = 0;		/* the kernel's errno, positive */
};

void parse_words(nlattr *nest, std::vector<uint32_t> &out)
{
	nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) == MACH_A_TOKEN_WORD)
			out.push_back(nla_get_u32(a));
}

int on_message(nl_msg *msg, void *arg)
{
	auto *ans = static_cast<Answer *>(arg);
	nlmsghdr *nlh = nlmsg_hdr(msg);
	nlattr *tb[MACH_A_MAX + 1];
	Record r;

	if (genlmsg_parse(nlh, 0, tb, MACH_A_MAX, nullptr) < 0)
		return NL_SKIP;
	for (int i = 1; i <= MACH_A_MAX; i++) {
		nlattr *a = tb[i];
		if (!a)
			continue;
		r.has[i] = true;
		switch (i) {
		case MACH_A_TASK_STATS:
		case MACH_A_THREAD_STATS: {
			nlattr *s;
			int rem;
			nla_for_each_nested(s, a, rem) {
				int t = nla_type(s);
				if (t > 0 && t <= MACH_A_STAT_MAX && nla_len(s) == 8) {
					r.stat[t] = nla_get_u64(s);
					r.has_stat[t] = true;
				}
			}
			break;
		}
		case MACH_A_TASK_RIGHTS:
			parse_counts(a, r.rights, MACH_A_RIGHTS_MAX);
			break;
		case MACH_A_PORT_REQUESTS:
			parse_counts(a, r.req, MACH_A_REQ_MAX);
			break;
		case MACH_A_TASK_SECURITY:
			parse_words(a, r.security);
			break;
		case MACH_A_TASK_AUDIT:
			parse_words(a, r.audit);
			break;
		case MACH_A_HOST_NODES: {
			nlattr *n;
			int rem;
			nla_for_each_nested(n, a, rem) {
				nlattr *f;
				int rem2;
				Node node;
				nla_for_each_nested(f, n, rem2) {
					switch (nla_type(f)) {
					case MACH_A_NODE_ID: node.id = nla_get_u32(f); break;
					case MACH_A_NODE_CPUS: node.cpus = nla_get_u32(f); break;
					case MACH_A_NODE_MEM_TOTAL: node.mem = nla_get_u64(f); break;
					}
				}
				r.nodes.push_back(node);
			}
			break;
		}
		default:
			if (nla_len(a) == 8)
				r.v[i] = nla_get_u64(a);
			else if (nla_len(a) == 4)
				r.v[i] = nla_get_u32(a);
			else
				r.v[i] = 1;	/* a flag */
		}
	}
	ans->records.push_back(std::move(r));
	return NL_OK;
}

int on_error(sockaddr_nl *, nlmsgerr *err, void *arg)
{
	static_cast<Answer *>(arg)->error = -err->error;
	return NL_STOP;
}

nl_sock *sock;
int family;

void die_errno(int err, const char *what)
{
	if (err == EPERM)
		fprintf(stderr, "machctl: %s: %s (needs CAP_SYS_ADMIN)\n", what, strerror(err));
	else if (err == ESRCH)
		fprintf(stderr, "machctl: %s: no such task\n", what);
	else
		fprintf(stderr, "machctl: %s: %s\n", what, strerror(err));
	exit(1);
}

void connect()
{
	sock = nl_socket_alloc();
	if (!sock || genl_connect(sock)) {
		fprintf(stderr, "machctl: cannot open a generic netlink socket\n");
		exit(1);
	}
	family = genl_ctrl_resolve(sock, MACH_GENL_NAME);
	if (family < 0) {
		fprintf(stderr, "machctl: no generic netlink family \"%s\": is the mach module loaded?\n",
			MACH_GENL_NAME);
		exit(1);
	}
}

/* Send cmd (a dump if dump), with pid if non-zero; the answer, retried if interrupted. */
Answer request(uint8_t cmd, bool dump, uint32_t pid, const char *what)
{
	for (int attempt = 0;; attempt++) {
		Answer ans;
		nl_msg *msg = nlmsg_alloc();
		if (!msg ||
		    !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				 dump ? NLM_F_DUMP : 0, cmd, MACH_GENL_VERSION) ||
		    (pid && nla_put_u32(msg, MACH_A_TASK_PID, pid))) {
			fprintf(stderr, "machctl: out of memory\n");
			exit(1);
		}
		nl_socket_modify_cb(sock, NL_CB_VALID, NL_CB_CUSTOM, on_message, &ans);
		nl_socket_modify_err_cb(sock, NL_CB_CUSTOM, on_error, &ans);
		int err = nl_send_auto(sock, msg);
		nlmsg_free(msg);
		if (err < 0) {
			fprintf(stderr, "machctl: %s: %s\n", what, nl_geterror(err));
			exit(1);
		}
		err = nl_recvmsgs_default(sock);
		if (ans.error)
			die_errno(ans.error, what);
		if (err == -NLE_DUMP_INTR && attempt < 10)
			continue;
		if (err < 0) {
			fprintf(stderr, "machctl: %s: %s\n", what, nl_geterror(err));
			exit(1);
		}
		return ans;
	}
}

const char *origin_name(uint64_t o)
{
	static const char *names[] = {
		"self", "task_create", "norma_task_create", "clone", "teleport", "token",
	};
	return o < sizeof(names) / sizeof(names[0]) ? names[o] : "unknown";
}

const char *state_name(uint64_t s)
{
	static const char *names[] = {
		"unknown", "running", "stopped", "waiting", "uninterruptible", "halted",
	};
	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

/* An attribute that may be absent: its value, or absent (JSON null by default). */
std::string opt_u64(const Record &r, int type, const char *absent = "null")
{
	return r.has[type] ? std::to_string(r.v[type]) : std::string(absent);
}

std::string words_json(const std::vector<uint32_t> &w)
{
	std::string s = "[";
	for (size_t i = 0; i < w.size(); i++)
		s += (i ? "," : "") + std::to_string(w[i]);
	return s + "]";
}

std::string type_name(uint32_t type)
{
	std::string s;
	auto add = [&](uint32_t bit, const char *name) {
		if (type & bit)
			s += (s.empty() ? "" : "+") + std::string(name);
	};
	add(1u << 16, "send");
	add(1u << 17, "receive");
	add(1u << 18, "send-once");
	add(1u << 19, "port-set");
	add(1u << 20, "dead-name");
	add(1u << 31, "dnrequest");
	return s.empty() ? "none" : s;
}

int cmd_host(bool nodes_only)
{
	Answer ans = request(MACH_CMD_HOST_GET, false, 0, "host");
	if (ans.records.empty()) {
		fprintf(stderr, "machctl: host: no answer\n");
		return 1;
	}
	const Record &r = ans.records[0];
	if (r.v[MACH_A_HOST_VERSION] != MACH_GENL_VERSION) {
		fprintf(stderr, "machctl: the module speaks version %llu, machctl %d\n",
			(unsigned long long)r.v[MACH_A_HOST_VERSION], MACH_GENL_VERSION);
		return 1;
	}
	if (json) {
		std::string n = "[";
		for (size_t i = 0; i < r.nodes.size(); i++)
			n += std::string(i ? "," : "") + "{\"id\":" + std::to_string(r.nodes[i].id) +
			     ",\"cpus\":" + std::to_string(r.nodes[i].cpus) +
			     ",\"memory\":" + std::to_string(r.nodes[i].mem) + "}";
		n += "]";
		if (nodes_only)
			printf("%s\n", n.c_str());
		else
			printf("{\"version\":%llu,\"abi\":%llu,\"tasks\":%llu,\"generation\":%llu,\"nodes\":%s}\n",
			       (unsigned long long)r.v[MACH_A_HOST_VERSION],
			       (unsigned long long)r.v[MACH_A_HOST_ABI],
			       (unsigned long long)r.v[MACH_A_HOST_TASKS],
			       (unsigned long long)r.v[MACH_A_HOST_GENERATION], n.c_str());
		return 0;
	}
	if (!nodes_only) {
		printf("version     %llu\n", (unsigned long long)r.v[MACH_A_HOST_VERSION]);
		printf("abi         %llu\n", (unsigned long long)r.v[MACH_A_HOST_ABI]);
		printf("tasks       %llu\n", (unsigned long long)r.v[MACH_A_HOST_TASKS]);
		printf("generation  %llu\n", (unsigned long long)r.v[MACH_A_HOST_GENERATION]);
		printf("nodes       %zu\n", r.nodes.size());
		return 0;
	}
	printf("%-5s %5s %14s\n", "NODE", "CPUS", "MEMORY");
	for (const Node &n : r.nodes)
		printf("%-5u %5u %12lluMi\n", n.id, n.cpus, (unsigned long long)(n.mem >> 20));
	return 0;
}

int cmd_tasks()
{
	Answer ans = request(MACH_CMD_TASK_GET, true, 0, "tasks");
	if (json) {
		printf("[");
		bool first = true;
		for (const Record &r : ans.records) {
			printf("%s{\"pid\":%llu,\"ppid\":%llu,\"parent\":%s,\"task_port\":%s,"
			       "\"origin\":\"%s\",\"node\":%lld,"
			       "\"suspend_count\":%llu,\"threads\":%llu,\"mach_threads\":%llu,"
			       "\"ports\":%llu,\"rights\":{\"send\":%llu,\"receive\":%llu,"
			       "\"send_once\":%llu,\"port_set\":%llu,\"dead_name\":%llu},"
			       "\"exception_mask\":%llu,"
			       "\"uid\":%llu,\"virtual\":%llu,\"resident\":%llu,"
			       "\"user_ns\":%llu,\"system_ns\":%llu,\"security\":%s,\"audit\":%s}",
			       first ? "" : ",",
			       (unsigned long long)r.v[MACH_A_TASK_PID],
			       (unsigned long long)r.v[MACH_A_TASK_PPID],
			       opt_u64(r, MACH_A_TASK_PARENT).c_str(),
			       opt_u64(r, MACH_A_TASK_PORT).c_str(),
			       origin_name(r.v[MACH_A_TASK_ORIGIN]),
			       r.has[MACH_A_TASK_NODE] ? (long long)r.v[MACH_A_TASK_NODE] : -1LL,
			       (unsigned long long)r.v[MACH_A_TASK_SUSPEND],
			       (unsigned long long)r.v[MACH_A_TASK_THREADS],
			       (unsigned long long)r.v[MACH_A_TASK_MACH_THREADS],
			       (unsigned long long)r.v[MACH_A_TASK_PORTS],
			       (unsigned long long)r.rights[MACH_A_RIGHTS_SEND],
			       (unsigned long long)r.rights[MACH_A_RIGHTS_RECEIVE],
			       (unsigned long long)r.rights[MACH_A_RIGHTS_SEND_ONCE],
			       (unsigned long long)r.rights[MACH_A_RIGHTS_PORT_SET],
			       (unsigned long long)r.rights[MACH_A_RIGHTS_DEAD_NAME],
			       (unsigned long long)r.v[MACH_A_TASK_EXC_MASK],
			       (unsigned long long)r.v[MACH_A_TASK_UID],
			       (unsigned long long)r.stat[MACH_A_STAT_VIRTUAL],
			       (unsigned long long)r.stat[MACH_A_STAT_RESIDENT],
			       (unsigned long long)r.stat[MACH_A_STAT_USER_NS],
			       (unsigned long long)r.stat[MACH_A_STAT_SYSTEM_NS],
			       words_json(r.security).c_str(), words_json(r.audit).c_str());
			first = false;
		}
		printf("]\n");
		return 0;
	}
	printf("%7s %7s %7s %-17s %4s %7s %7s %5s %5s %4s %4s %6s %10s %10s\n", "PID", "PPID",
	       "PARENT", "ORIGIN", "NODE", "SUSPEND", "THREADS", "PORTS", "SEND", "RECV",
	       "EXC", "UID", "VIRT", "RSS");
	for (const Record &r : ans.records) {
		char node[16] = "-";
		if (r.has[MACH_A_TASK_NODE])
			snprintf(node, sizeof(node), "%llu", (unsigned long long)r.v[MACH_A_TASK_NODE]);
		printf("%7llu %7llu %7s %-17s %4s %7llu %7llu %5llu %5llu %4llu %4s %6llu %9lluK %9lluK\n",
		       (unsigned long long)r.v[MACH_A_TASK_PID],
		       (unsigned long long)r.v[MACH_A_TASK_PPID],
		       opt_u64(r, MACH_A_TASK_PARENT, "-").c_str(),
		       origin_name(r.v[MACH_A_TASK_ORIGIN]), node,
		       (unsigned long long)r.v[MACH_A_TASK_SUSPEND],
		       (unsigned long long)r.v[MACH_A_TASK_THREADS],
		       (unsigned long long)r.v[MACH_A_TASK_PORTS],
		       (unsigned long long)r.rights[MACH_A_RIGHTS_SEND],
		       (unsigned long long)r.rights[MACH_A_RIGHTS_RECEIVE],
		       r.v[MACH_A_TASK_EXC_MASK] ? "yes" : "-",
		       (unsigned long long)r.v[MACH_A_TASK_UID],
		       (unsigned long long)(r.stat[MACH_A_STAT_VIRTUAL] >> 10),
		       (unsigned long long)(r.stat[MACH_A_STAT_RESIDENT] >> 10));
	}
	return 0;
}

int cmd_threads(uint32_t pid)
{
	Answer ans = request(MACH_CMD_THREAD_GET, true, pid, "threads");
	if (json) {
		printf("[");
		for (size_t i = 0; i < ans.records.size(); i++) {
			const Record &r = ans.records[i];
			printf("%s{\"tid\":%llu,\"state\":\"%s\",\"agent\":%s,\"spare\":%s,"
			       "\"suspend_count\":%s,\"user_ns\":%llu,\"system_ns\":%llu}",
			       i ? "," : "", (unsigned long long)r.v[MACH_A_THREAD_TID],
			       state_name(r.v[MACH_A_THREAD_STATE]),
			       r.has[MACH_A_THREAD_AGENT] ? "true" : "false",
			       r.has[MACH_A_THREAD_SPARE] ? "true" : "false",
			       opt_u64(r, MACH_A_THREAD_SUSPEND).c_str(),
			       (unsigned long long)r.stat[MACH_A_STAT_USER_NS],
			       (unsigned long long)r.stat[MACH_A_STAT_SYSTEM_NS]);
		}
		printf("]\n");
		return 0;
	}
	printf("%7s %-16s %-5s %7s %12s %12s\n", "TID", "STATE", "AGENT", "SUSPEND", "USER_MS",
	       "SYSTEM_MS");
	for (const Record &r : ans.records)
		printf("%7llu %-16s %-5s %7s %12llu %12llu\n", (unsigned long long)r.v[MACH_A_THREAD_TID],
		       state_name(r.v[MACH_A_THREAD_STATE]),
		       r.has[MACH_A_THREAD_AGENT] ? "yes" : r.has[MACH_A_THREAD_SPARE] ? "spare" : "-",
		       opt_u64(r, MACH_A_THREAD_SUSPEND, "-").c_str(),
		       (unsigned long long)(r.stat[MACH_A_STAT_USER_NS] / 1000000),
		       (unsigned long long)(r.stat[MACH_A_STAT_SYSTEM_NS] / 1000000));
	return 0;
}

const char *object_name(const Record &r)
{
	static const char *names[] = {
		"none", "task", "task-name", "thread", "host", "host-priv",
		"host-security", "ledger",
	};
	uint64_t o = r.v[MACH_A_PORT_OBJECT];
	if (!r.has[MACH_A_PORT_OBJECT])
		return r.has[MACH_A_PORT_KERNEL] ? "kernel" : "-";
	return o < sizeof(names) / sizeof(names[0]) ? names[o] : "unknown";
}

/* Pending notification requests, as "ns+pd+dn:2", or "-". */
std::string requests_text(const Record &r)
{
	std::string s;
	auto add = [&](const char *what, uint64_t n) {
		if (!n)
			return;
		s += (s.empty() ? "" : "+") + std::string(what);
		if (n > 1)
			s += ":" + std::to_string(n);
	};
	add("no-senders", r.req[MACH_A_REQ_NO_SENDERS]);
	add("port-destroyed", r.req[MACH_A_REQ_PORT_DESTROYED]);
	add("dead-name", r.req[MACH_A_REQ_DEAD_NAME]);
	return s.empty() ? "-" : s;
}

int cmd_ports(uint32_t pid)
{
	Answer ans = request(MACH_CMD_PORT_GET, true, pid, "ports");
	if (json) {
		printf("[");
		for (size_t i = 0; i < ans.records.size(); i++) {
			const Record &r = ans.records[i];
			printf("%s{\"name\":%llu,\"type\":%llu,\"rights\":\"%s\",\"urefs\":%llu,"
			       "\"qlimit\":%llu,\"msgcount\":%llu,\"seqno\":%llu,\"kernel\":%s,"
			       "\"object\":\"%s\",\"requests\":{\"no_senders\":%llu,"
			       "\"port_destroyed\":%llu,\"dead_name\":%llu}}",
			       i ? "," : "", (unsigned long long)r.v[MACH_A_PORT_NAME],
			       (unsigned long long)r.v[MACH_A_PORT_TYPE],
			       type_name(r.v[MACH_A_PORT_TYPE]).c_str(),
			       (unsigned long long)r.v[MACH_A_PORT_UREFS],
			       (unsigned long long)r.v[MACH_A_PORT_QLIMIT],
			       (unsigned long long)r.v[MACH_A_PORT_MSGCOUNT],
			       (unsigned long long)r.v[MACH_A_PORT_SEQNO],
			       r.has[MACH_A_PORT_KERNEL] ? "true" : "false",
			       object_name(r),
			       (unsigned long long)r.req[MACH_A_REQ_NO_SENDERS],
			       (unsigned long long)r.req[MACH_A_REQ_PORT_DESTROYED],
			       (unsigned long long)r.req[MACH_A_REQ_DEAD_NAME]);
		}
		printf("]\n");
		return 0;
	}
	printf("%6s %-22s %6s %6s %8s %8s %-13s %-8s\n", "NAME", "RIGHTS", "UREFS", "QLIMIT",
	       "MSGCOUNT", "SEQNO", "OBJECT", "REQUESTS");
	for (const Record &r : ans.records)
		printf("%6llu %-22s %6llu %6llu %8llu %8llu %-13s %s\n",
		       (unsigned long long)r.v[MACH_A_PORT_NAME],
		       type_name(r.v[MACH_A_PORT_TYPE]).c_str(),
		       (unsigned long long)r.v[MACH_A_PORT_UREFS],
		       (unsigned long long)r.v[MACH_A_PORT_QLIMIT],
		       (unsigned long long)r.v[MACH_A_PORT_MSGCOUNT],
		       (unsigned long long)r.v[MACH_A_PORT_SEQNO],
		       object_name(r), requests_text(r).c_str());
	return 0;
}

const char *event_name(uint64_t e)
{
	static const char *names[] = {
		"unknown", "created", "terminated", "suspended", "resumed",
		"teleported", "exception", "port-destroyed",
	};
	return e < sizeof(names) / sizeof(names[0]) ? names[e] : "unknown";
}

const char *reason_name(uint64_t e)
{
	static const char *names[] = {
		"unknown", "terminated", "exited", "killed", "teleported",
	};
	return e < sizeof(names) / sizeof(names[0]) ? names[e] : "unknown";
}

/* An event's fields past its type and pid: as JSON members, or as words. */
std::string event_fields(const Record &r)
{
	std::string s;
	auto num = [&](const char *key, int type) {
		if (!r.has[type])
			return;
		s += json ? std::string(",\"") + key + "\":" : std::string(" ") + key + " ";
		s += std::to_string(r.v[type]);
	};
	auto str = [&](const char *key, int type, const char *value) {
		if (!r.has[type])
			return;
		s += json ? std::string(",\"") + key + "\":\"" + value + "\"" :
			    std::string(" ") + key + " " + value;
	};
	num("ppid", MACH_A_TASK_PPID);
	num("parent", MACH_A_TASK_PARENT);
	str("origin", MACH_A_TASK_ORIGIN, origin_name(r.v[MACH_A_TASK_ORIGIN]));
	num("suspend_count", MACH_A_TASK_SUSPEND);
	str("reason", MACH_A_EVENT_REASON, reason_name(r.v[MACH_A_EVENT_REASON]));
	num(r.v[MACH_A_EVENT_REASON] == MACH_END_KILLED ? "signal" : "status",
	    MACH_A_EVENT_STATUS);
	num("child", MACH_A_EVENT_CHILD);
	num("tid", MACH_A_THREAD_TID);
	num("exception", MACH_A_EVENT_EXCEPTION);
	num("waiters", MACH_A_PORT_WAITERS);
	num("messages", MACH_A_PORT_MSGCOUNT);
	return s;
}

int on_event(nl_msg *msg, void *)
{
	Answer ans;
	on_message(msg, &ans);
	if (ans.records.empty())
		return NL_OK;
	const Record &r = ans.records[0];
	uint64_t ns = r.v[MACH_A_EVENT_TIME_NS];
	time_t sec = static_cast<time_t>(ns / 1000000000);
	struct tm tm;
	char when[64];
	gmtime_r(&sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	std::string fields = event_fields(r);
	if (json)
		printf("{\"time\":\"%s.%06lluZ\",\"time_ns\":%llu,\"event\":\"%s\",\"pid\":%s%s}\n",
		       when, (unsigned long long)(ns % 1000000000 / 1000),
		       (unsigned long long)ns, event_name(r.v[MACH_A_EVENT_TYPE]),
		       opt_u64(r, MACH_A_TASK_PID).c_str(), fields.c_str());
	else
		printf("%s.%06lluZ %-14s pid %s%s\n", when,
		       (unsigned long long)(ns % 1000000000 / 1000),
		       event_name(r.v[MACH_A_EVENT_TYPE]),
		       opt_u64(r, MACH_A_TASK_PID, "-").c_str(), fields.c_str());
	fflush(stdout);
	return NL_OK;
}

int cmd_watch()
{
	int grp = genl_ctrl_resolve_grp(sock, MACH_GENL_NAME, MACH_GENL_MCGRP_EVENTS);
	if (grp < 0) {
		fprintf(stderr, "machctl: watch: no event group: %s\n", nl_geterror(grp));
		return 1;
	}
	nl_sock *ev = nl_socket_alloc();
	if (!ev || genl_connect(ev)) {
		fprintf(stderr, "machctl: cannot open a generic netlink socket\n");
		return 1;
	}
	nl_socket_disable_seq_check(ev);
	nl_socket_modify_cb(ev, NL_CB_VALID, NL_CB_CUSTOM, on_event, nullptr);
	int err = nl_socket_add_membership(ev, grp);
	if (err < 0) {
		fprintf(stderr, "machctl: watch: %s\n",
			err == -NLE_PERM ? "Operation not permitted (needs CAP_SYS_ADMIN)" :
					   nl_geterror(err));
		return 1;
	}
	for (;;) {
		err = nl_recvmsgs_default(ev);
		if (err < 0 && err != -NLE_NOMEM && err != -NLE_AGAIN) {
			fprintf(stderr, "machctl: watch: %s\n", nl_geterror(err));
			return 1;
		}
	}
}

bool task_listed(uint32_t pid)
{
	Answer ans = request(MACH_CMD_TASK_GET, true, 0, "tasks");
	for (const Record &r : ans.records)
		if (r.v[MACH_A_TASK_PID] == pid)
			return true;
	return false;
}

/*
 * suspend, resume: the kernel's ack is all the answer. terminate: the
 * kernel sends the kill; we return once the task is gone, as
 * task_terminate does (10 s at most: then it is still ending, status 1).
 */
int cmd_operator(uint8_t cmd, uint32_t pid, const char *what)
{
	request(cmd, false, pid, what);
	if (cmd == MACH_CMD_TASK_TERMINATE) {
		int i;

		for (i = 0; i < 1000 && task_listed(pid); i++)
			usleep(10000);
		if (i == 1000) {
			fprintf(stderr, "machctl: terminate: %u is still ending\n", pid);
			return 1;
		}
	}
	if (json)
		printf("{\"pid\":%u,\"%s\":true}\n", pid, what);
	return 0;
}

/* --help: to standard output, success; a usage error: to stderr, 2. */
[[noreturn]] void usage(bool asked = false)
{
	fprintf(asked ? stdout : stderr,
		"usage: machctl [--json] host | nodes | tasks | threads PID | ports PID | watch\n"
		"       machctl [--json] suspend PID | resume PID | terminate PID\n");
	exit(asked ? 0 : 2);
}

uint32_t parse_pid(const char *s)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || !*s || v == 0 || v > 0x7fffffff) {
		fprintf(stderr, "machctl: %s: not a process id\n", s);
		exit(2);
	}
	return static_cast<uint32_t>(v);
}

} // namespace

int main(int argc, char **argv)
{
	std::vector<const char *> args;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j"))
			json = true;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			usage(true);
		else
			args.push_back(argv[i]);
	}
	if (args.empty())
		usage();
	std::string cmd = args[0];
	bool op = cmd == "suspend" || cmd == "resume" || cmd == "terminate";
	bool needs_pid = cmd == "threads" || cmd == "ports" || op;
	if (args.size() != (needs_pid ? 2u : 1u))
		usage();
	if (cmd != "host" && cmd != "nodes" && cmd != "tasks" && cmd != "watch" && !needs_pid)
		usage();
	uint32_t pid = needs_pid ? parse_pid(args[1]) : 0;
	connect();
	if (cmd == "host")
		return cmd_host(false);
	if (cmd == "nodes")
		return cmd_host(true);
	if (cmd == "tasks")
		return cmd_tasks();
	if (cmd == "watch")
		return cmd_watch();
	if (cmd == "threads")
		return cmd_threads(pid);
	if (cmd == "suspend")
		return cmd_operator(MACH_CMD_TASK_SUSPEND, pid, "suspend");
	if (cmd == "resume")
		return cmd_operator(MACH_CMD_TASK_RESUME, pid, "resume");
	if (cmd == "terminate")
		return cmd_operator(MACH_CMD_TASK_TERMINATE, pid, "terminate");
	return cmd_ports(pid);
}
