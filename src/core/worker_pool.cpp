#include "core/worker_pool.hpp"

#include <algorithm>

namespace kvarter {

worker_pool::worker_pool(std::size_t threads, std::size_t queue) : m_limit{std::max<std::size_t>(1, threads) + queue} {
    for (std::size_t t = 0; t < std::max<std::size_t>(1, threads); ++t) m_threads.emplace_back([this] { run(); });
}

worker_pool::~worker_pool() { stop(); }

bool worker_pool::try_post(std::function<void()> task) {
    {
        std::lock_guard lock{m_mutex};
        if (m_stopping || m_queue.size() + m_running >= m_limit) return false;
        m_queue.push_back(std::move(task));
    }
    m_wake.notify_one();
    return true;
}

void worker_pool::stop() {
    {
        std::lock_guard lock{m_mutex};
        if (m_stopping && m_threads.empty()) return;
        m_stopping = true;
    }
    m_wake.notify_all();
    for (auto& t : m_threads)
        if (t.joinable()) t.join();
    m_threads.clear();
}

std::size_t worker_pool::waiting() const {
    std::lock_guard lock{m_mutex};
    return m_queue.size();
}

void worker_pool::run() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock{m_mutex};
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty()) return; // stopping, and nothing left
            task = std::move(m_queue.front());
            m_queue.pop_front();
            ++m_running;
        }
        try {
            task();
        } catch (...) {
        }
        std::lock_guard lock{m_mutex};
        --m_running;
    }
}

} // namespace kvarter
