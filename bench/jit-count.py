#!/usr/bin/env python3
"""What the JIT compiled and which classes were loaded after a bot's ready, by library (BENCHMARKS.md section 62).

usage: bench/jit-count.py JIT_LOG CLASS_LOG BOT_LOG
  JIT_LOG    the child's -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=... (%p in the name keeps one a run)
  CLASS_LOG  its -Xlog:class+load=info:file=...:time,uptime
  BOT_LOG    the bench's bot.log of that run: "webhook registered" marks ready, ProcessEnd's "stopping" the end

Counts every successful compilation whose task started before ready ("start") and from ready until the stop
("after ready": the settle and the burst): methods, their bytecode and native bytes, per package group. The compile
time in the log is wall time (task start to done, milliseconds), inflated on a loaded machine; read the compiler
threads' CPU from /proc instead when it matters."""
import collections, datetime, re, sys

GROUPS = [("dev.kiebot", "ours"), ("org.eclipse.jetty", "jetty"), ("io.javalin", "javalin"),
          ("com.fasterxml.jackson", "jackson"), ("com.google.gson", "gson"), ("org.postgresql", "pgjdbc"),
          ("com.zaxxer.hikari", "hikari"), ("org.jdbi", "jdbi"), ("ch.qos.logback", "logback"), ("org.slf4j", "slf4j"),
          ("io.micrometer", "micrometer"), ("io.prometheus", "micrometer"), ("com.pengrad", "pengrad"),
          ("okhttp3", "okhttp"), ("okio", "okhttp"), ("kotlin", "kotlin"), ("java.", "jdk"), ("javax.", "jdk"),
          ("jdk.", "jdk"), ("sun.", "jdk"), ("com.sun.", "jdk")]
ATTR = re.compile(r"(\w+)='([^']*)'")


def group(name):
    name = name.replace('/', '.')
    return next((g for p, g in GROUPS if name.startswith(p)), "other")


def epoch_ms(line):
    return datetime.datetime.fromisoformat(line.split(' ')[0].replace('Z', '+00:00')).timestamp() * 1000


def main(jit_log, class_log, bot_log):
    bot = open(bot_log, errors='replace').read().splitlines()
    ready_ms = epoch_ms(next(l for l in bot if "webhook registered" in l))
    stop_ms = epoch_ms(next(l for l in bot if "ProcessEnd" in l and "stopping" in l))
    tasks, done, current, vm_start_ms = {}, {}, None, None
    for line in open(jit_log, errors='replace'):
        if vm_start_ms is None and line.startswith('<hotspot_log'):
            vm_start_ms = float(dict(ATTR.findall(line))['time_ms'])
        elif line.startswith('<task ') and 'compile_id' in line:
            a = dict(ATTR.findall(line))
            current = a['compile_id']
            tasks[current] = a
        elif line.startswith('<task_done') and current is not None:
            done[current] = dict(ATTR.findall(line))
            current = None
    ready, stop = (ready_ms - vm_start_ms) / 1000, (stop_ms - vm_start_ms) / 1000
    phases = {p: collections.defaultdict(lambda: [0, 0, 0, 0.0]) for p in ("start", "after ready")}
    for cid, t in tasks.items():
        began, d = float(t['stamp']), done.get(cid, {})
        if began > stop or d.get('success') != '1':
            continue
        row = phases["start" if began < ready else "after ready"][group(t['method'].split(' ')[0])]
        row[0] += 1
        row[1] += int(t.get('bytes', 0))
        row[2] += int(d.get('nmsize', 0))
        row[3] += (float(d.get('stamp', began)) - began) * 1000
    print(f"ready at {ready:.2f} s of the JVM's uptime, stop at {stop:.2f} s")
    for phase, rows in phases.items():
        total = [sum(r[i] for r in rows.values()) for i in range(4)]
        print(f"{phase}: {total[0]} methods compiled, {total[1] / 1024:.0f} KiB of bytecode, "
              f"{total[2] / 1024:.0f} KiB native, {total[3]:.0f} ms of compile (wall)")
        for g, r in sorted(rows.items(), key=lambda kv: -kv[1][2]):
            print(f"  {g:12s} {r[0]:5d} methods {r[1] / 1024:7.1f} KiB bytecode {r[2] / 1024:7.1f} KiB native")
    loaded, source = collections.Counter(), collections.Counter()
    for line in open(class_log, errors='replace'):
        m = re.match(r"\[[^\]]*\]\[([0-9.]+)s\] (\S+) source: (.*)", line)
        if m and ready <= float(m.group(1)) <= stop:
            loaded[group(m.group(2))] += 1
            src = m.group(3)
            source["archive" if "shared objects file" in src
                   else "jar or jrt" if src.startswith(("jar:", "file:", "jrt:")) else "generated"] += 1
    print(f"classes loaded after ready: {sum(loaded.values())} ({dict(source)}); by group {dict(loaded.most_common())}")


if __name__ == '__main__':
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
