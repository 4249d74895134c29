// The centred frame of the signed-out pages (log in, sign up).
import { ReactNode } from "react";

/** A narrow card with the product name above it. */
export function AuthFrame(props: { title: string; children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-start justify-center px-4 py-12 sm:items-center">
      <div className="w-full max-w-sm">
        <p className="mb-6 text-center text-xl font-bold text-indigo-700 dark:text-indigo-300">InsightVault</p>
        <div className="rounded-lg border border-gray-200 bg-white p-6 shadow-sm dark:border-gray-800 dark:bg-gray-900">
          <h1 className="mb-4 text-xl font-semibold">{props.title}</h1>
          {props.children}
        </div>
      </div>
    </main>
  );
}
