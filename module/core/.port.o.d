port.o: /work/main/module/core/port.cc /work/main/module/core/core.h \
 /work/main/module/core/shim.h /work/main/module/core/ctypes.h \
 /work/main/module/core/port.h /work/main/module/core/base.h \
 /work/main/module/core/message.h /work/main/module/core/task.h \
 /work/main/module/core/space.h /work/main/module/core/hash_table.h
