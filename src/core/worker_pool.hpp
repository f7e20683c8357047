#pragma once
// A fixed set of threads with a bounded queue, for the slow work that must not run on a request
// thread: catalog reloads, proposal writes, heavy analyses. A full queue refuses at once
// (try_post returns false) rather than making the caller wait.
//
//     worker_pool pool{2, 64};
//     if (!pool.try_post([] { reload(); })) log("busy");

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kvarter {

class worker_pool {
public:
    // `threads` at least 1; `queue`: tasks waiting beyond those running, 0 for none.
    worker_pool(std::size_t threads, std::size_t queue);
    ~worker_pool(); // runs what is queued, then joins
    worker_pool(const worker_pool&) = delete;
    worker_pool& operator=(const worker_pool&) = delete;

    // False when every thread is busy and the queue is full, or the pool is stopping. A task
    // must not throw (what escapes is swallowed).
    bool try_post(std::function<void()> task);
    // Stops taking tasks, runs those queued, joins the threads. Idempotent.
    void stop();
    std::size_t waiting() const;

private:
    void run();
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_queue;
    std::size_t m_limit; // queued + running
    std::size_t m_running = 0;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
}; // class worker_pool

} // namespace kvarter
