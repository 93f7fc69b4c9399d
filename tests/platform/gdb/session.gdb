# A debugging session on sw/programs/tests/debug_target.c, run by gdb_session.py in batch
# mode; the transcript is checked against session.expect.
set pagination off
set confirm off
target remote :@PORT@
break main
continue
step
print n
finish
print progress
print/x $mstatus
print/x $misa
# The accelerator's ID register, through the bus.
x/wx 0x40000000
stepi
print/x $pc
watch job.status
continue
print/x job.status
delete
break on_accelerator
continue
print/x $mcause
# mtime twice with host time passing in between: simulated time must stand still.
set $t0 = *(unsigned long long *)0x0200bff8
shell sleep 0.3
set $t1 = *(unsigned long long *)0x0200bff8
if $t0 == $t1 && $t0 > 0
  echo simulated time stood still while halted\n
else
  printf "mtime moved while halted: %llu -> %llu\n", $t0, $t1
end
delete
hbreak ant_error_name
continue
delete
continue
