// Stores past the caches, for data written once and read back only after it would have left them.
// Clang's builtins: movntdq and sfence on x86-64, the nearest equivalents elsewhere.
typedef unsigned short hpmc_slots8 __attribute__((ext_vector_type(8)));

// `address` must be 16-byte aligned.
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
