using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OfferTrace.Storage.Sqlite;

/// <summary>
/// Syncs a connection's database file to disk through SQLite's own file object: the VFS method <c>xSync</c> of the
/// <c>sqlite3_file</c> that <c>SQLITE_FCNTL_FILE_POINTER</c> returns (both public parts of SQLite's C API). Not a
/// second descriptor of our own: closing any descriptor of a file drops every POSIX lock the process holds on it,
/// SQLite's included.
/// </summary>
internal static class SqliteFileSync
{
    private const int FcntlFilePointer = 7;   // SQLITE_FCNTL_FILE_POINTER
    private const int SyncNormal = 0x00002;   // SQLITE_SYNC_NORMAL: fdatasync on Linux
    // struct sqlite3_io_methods { int iVersion; xClose; xRead; xWrite; xTruncate; xSync; ... }: the int is padded to
    // a pointer's width, so xSync is the sixth pointer-sized slot.
    private static readonly int SyncSlotOffset = 5 * IntPtr.Size;
    private static readonly byte[] Main = "main\0"u8.ToArray();
    private static readonly Lazy<bool> SameLibrary = new(FindsTheLoadedLibrary);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SyncMethod(IntPtr file, int flags);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_file_control", CallingConvention = CallingConvention.Cdecl)]
    private static extern int FileControl(IntPtr db, byte[] name, int op, out IntPtr result);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_libversion_number", CallingConvention = CallingConvention.Cdecl)]
    private static extern int LibraryVersion();

    /// <summary>
    /// Whether the SQLite library reached here is the build Microsoft.Data.Sqlite runs on: a connection's handle may only
    /// go to the code that made it (a SQLite bundle under another name, or of another version, leaves this off).
    /// </summary>
    public static bool Available => SameLibrary.Value;

    /// <summary>Syncs the main database file of <paramref name="connection"/>; false when SQLite reports an error.</summary>
    public static bool SyncDatabaseFile(SqliteConnection connection)
    {
        if (!Available) throw new InvalidOperationException("The SQLite library cannot be reached for a sync.");
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        if (FileControl(db.DangerousGetHandle(), Main, FcntlFilePointer, out var file) != 0 || file == IntPtr.Zero) return false;
        var methods = Marshal.ReadIntPtr(file);
        var sync = Marshal.GetDelegateForFunctionPointer<SyncMethod>(Marshal.ReadIntPtr(methods, SyncSlotOffset));
        return sync(file, SyncNormal) == 0;
    }

    private static bool FindsTheLoadedLibrary()
    {
        // Microsoft.Data.Sqlite chooses SQLite's provider in SqliteConnection's static constructor.
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(SqliteConnection).TypeHandle);
        try
        {
            return LibraryVersion() == raw.sqlite3_libversion_number();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
