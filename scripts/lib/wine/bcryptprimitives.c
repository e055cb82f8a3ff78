/*
 * A stand-in bcryptprimitives.dll for Wine 8.0 (Debian 12), which has no such DLL: Rust's std
 * (1.78 and later) takes its random bytes from ProcessPrng there, so every Rust .exe fails to
 * start under that Wine without it. scripts/lib/cross.sh builds this with mingw-w64 and puts it in
 * the throwaway Wine prefix's system32; it is never shipped (Windows 10 and later have the real one).
 *
 * ProcessPrng fills the buffer from the system's generator and, as documented, always succeeds.
 * RtlGenRandom (advapi32's SystemFunction036) is that generator in Wine.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG part = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, part))
            return FALSE;
        data += part;
        length -= part;
    }
    return TRUE;
}
