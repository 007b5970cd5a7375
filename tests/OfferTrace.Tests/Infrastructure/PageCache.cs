using System.Runtime.InteropServices;

namespace OfferTrace.Tests.Infrastructure;

/// <summary>
/// What the kernel's page cache holds of a file and has not yet written to the disk, through Linux's <c>cachestat</c>
/// system call (6.5 and later). It opens and closes a descriptor of its own, and closing it drops every POSIX lock this
/// process holds on the file, SQLite's included: use it only on a file that no other process has open.
/// </summary>
public static class PageCache
{
    private const long Cachestat = 451;   // the same number in the generic table and on x86-64

    public static long UnwrittenPages(string path)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        var range = new CachestatRange();   // offset 0, length 0: the whole file
        if (Syscall(Cachestat, (int)file.DangerousGetHandle(), ref range, out var stat, 0) != 0)
            throw new InvalidOperationException($"cachestat failed (errno {Marshal.GetLastPInvokeError()}): this test needs Linux 6.5 or later.");
        return (long)(stat.Dirty + stat.Writeback);
    }

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern long Syscall(long number, int fd, ref CachestatRange range, out CachestatResult result, uint flags);

    [StructLayout(LayoutKind.Sequential)]
    private struct CachestatRange
    {
        public ulong Offset;
        public ulong Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CachestatResult
    {
        public ulong Cache;
        public ulong Dirty;
        public ulong Writeback;
        public ulong Evicted;
        public ulong RecentlyEvicted;
    }
}
