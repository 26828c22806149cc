// Hints to the caches, for data whose use the code knows better than the hardware can guess:
// stores past the caches of what is read back only after it would have left them, and prefetches of
// what is about to be updated. Clang's builtins: movntdq and sfence on x86-64, and a prefetch
// (prefetchw where the target CPU has it; prefetcht0 for make build's Haswell target), the nearest
// equivalents elsewhere.

typedef unsigned short hpmc_slots8 __attribute__((ext_vector_type(8)));

// Stores `value` past the caches; `address` must be 16-byte aligned.
static inline __attribute__((always_inline)) void hpmc_store_nontemporal(hpmc_slots8 value, hpmc_slots8 *address) {
    __builtin_nontemporal_store(value, address);
}

// Orders earlier non-temporal stores before later stores.
static inline __attribute__((always_inline)) void hpmc_store_fence(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_sfence();
#else
    __atomic_thread_fence(__ATOMIC_RELEASE);
#endif
}

// Brings the line holding `address` into the caches, where it is about to be written. Never faults.
static inline __attribute__((always_inline)) void hpmc_prefetch_for_writing(const void *address) {
    __builtin_prefetch(address, 1, 3);
}
