#pragma once
// fn(i, worker) for i in [0, n) on every core, for loads whose per-item work needs no order:
// checking features, snapping them to a zoom's grid. `worker` is in [0, parallel_workers()) and
// tells fn which of its per-thread states to use (a PROJ transformation, say, which one thread at
// a time may use). The first exception thrown is rethrown once every thread has stopped.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace kvarter {

inline std::size_t parallel_workers() { return std::max(1u, std::min(std::thread::hardware_concurrency(), 8u)); }

template <class Fn>
void parallel_for(std::size_t n, Fn&& fn, std::size_t chunk = 64) {
    const std::size_t threads = std::min(parallel_workers(), (n + chunk - 1) / std::max<std::size_t>(chunk, 1));
    if (threads <= 1) {
        for (std::size_t i = 0; i < n; ++i) fn(i, std::size_t{0});
        return;
    }
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto work = [&](std::size_t worker) {
        try {
            for (std::size_t i; !failed && (i = next.fetch_add(chunk)) < n;)
                for (std::size_t j = i; j < std::min(n, i + chunk); ++j) fn(j, worker);
        } catch (...) {
            std::lock_guard lock{failure_mutex};
            if (!failure) failure = std::current_exception();
            failed = true;
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
}

} // namespace kvarter
