/** Most configurations one "/compare" asks: side by side stays readable, and each costs a request. */
export const COMPARE_MAX = 3;
